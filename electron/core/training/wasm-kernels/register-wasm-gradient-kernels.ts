// Registers the gradient kernels tfjs's wasm backend (4.22) lacks, so conv, depthwise/separable conv and embedding
// models can train on it. Idempotent; a kernel the installed backend already has (a future tfjs) is left alone.
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { replacementBatchMatMulConfig } from './batch-mat-mul-via-transpose.js';
import { replacementAddConfig } from './bias-add.js';
import { castConfig } from './cast.js';
import { replacementConv2DConfig } from './conv2d.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-conv2d-backprop-input.js';
import { identityConfig } from './identity.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { replacementSumConfig } from './sum.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

export const wasmGradientKernelConfigs: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  unsortedSegmentSumConfig,
];

/** Kernels that replace the backend's own outright: faster, and (MaxPoolGrad) right where the native one is wrong. */
export const wasmReplacementKernelConfigs: readonly KernelConfig[] = [maxPoolGradConfig, identityConfig, castConfig];

/**
 * Puts the faster kernels in place of the backend's own: the replacements above, the transposed-operand BatchMatMul,
 * the leading-axes Sum and the bias Add (which still call the native kernels for the other cases). Needs the wasm backend's kernels registered,
 * i.e. its module imported. Idempotent; returns the names it replaced on this call.
 */
export function registerWasmSpeedKernels(): string[] {
  const replaced: string[] = [];
  for (const config of wasmReplacementKernelConfigs) {
    if (getKernel(config.kernelName, 'wasm')?.kernelFunc === config.kernelFunc) continue;
    if (getKernel(config.kernelName, 'wasm')) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
    replaced.push(config.kernelName);
  }
  // These call the native kernel for the cases they do not speed up, so they capture it first.
  for (const wrapping of [replacementBatchMatMulConfig, replacementSumConfig, replacementAddConfig, replacementConv2DConfig]) {
    const config = wrapping();
    if (!config) continue;
    unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
    replaced.push(config.kernelName);
  }
  return replaced;
}

/** Registers every missing kernel; returns the names it registered on this call (empty when all were there). */
export function registerWasmGradientKernels(): string[] {
  const registered: string[] = [];
  for (const config of wasmGradientKernelConfigs) {
    if (getKernel(config.kernelName, config.backendName) != null) continue;
    registerKernel(config);
    registered.push(config.kernelName);
  }
  return registered;
}
