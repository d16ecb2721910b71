// Registers the gradient kernels tfjs's wasm backend (4.22) lacks, so conv, depthwise/separable conv and embedding
// models can train on it. Idempotent; a kernel the installed backend already has (a future tfjs) is left alone.
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { replacementBatchMatMulConfig } from './batch-mat-mul-via-transpose.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-conv2d-backprop-input.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

export const wasmGradientKernelConfigs: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  unsortedSegmentSumConfig,
];

/**
 * Puts the faster transposed-operand BatchMatMul in place of the backend's own (which it still calls for plain
 * products). Needs the wasm backend's kernels registered, i.e. its module imported. Idempotent.
 */
export function registerWasmSpeedKernels(): string[] {
  const replacement = replacementBatchMatMulConfig();
  if (!replacement) return [];
  unregisterKernel(replacement.kernelName, 'wasm');
  registerKernel(replacement);
  return [replacement.kernelName];
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
