// Gradient kernels for tfjs's wasm backend, and the helper that starts that backend in Node.
export { conv2DBackpropFilter, conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
export {
  depthwiseConv2dNativeBackpropFilter,
  depthwiseConv2dNativeBackpropFilterConfig,
} from './depthwise-conv2d-backprop-filter.js';
export {
  depthwiseConv2dNativeBackpropInput,
  depthwiseConv2dNativeBackpropInputConfig,
} from './depthwise-conv2d-backprop-input.js';
export { unsortedSegmentSum, unsortedSegmentSumConfig } from './unsorted-segment-sum.js';
export { maxPoolGrad, maxPoolGradConfig } from './max-pool-grad.js';
export { identity, identityConfig } from './identity.js';
export { cast, castConfig } from './cast.js';
export { sum, sumConfig } from './sum.js';
export { biasAdd, biasAddConfig } from './bias-add.js';
export { conv2D, conv2DConfig } from './conv2d.js';
export { attachSimdKernels, setSimdKernelsEnabled, simdKernelsFor, type SimdKernels } from './simd/simd-kernels.js';
export {
  registerWasmGradientKernels,
  registerWasmSpeedKernels,
  wasmGradientKernelConfigs,
  wasmReplacementKernelConfigs,
} from './register-wasm-gradient-kernels.js';
export { batchMatMulViaTranspose, batchMatMulViaTransposeConfig } from './batch-mat-mul-via-transpose.js';
export { defaultWasmDir, initWasmBackend, type InitWasmBackendOptions } from './wasm-backend.js';
