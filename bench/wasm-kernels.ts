// Micro-benchmark of the wasm gradient kernels (electron/core/training/wasm-kernels) against tfjs's cpu backend, on
// training-sized shapes, plus a whole conv-net training step. Also checks that repeated calls do not grow the wasm
// heap (the composed convs create XNNPACK operators keyed by a fresh filter every call).
// Run: npx tsx bench/wasm-kernels.ts (a few minutes: tfjs's cpu Conv2DBackpropFilter takes ~15 s a call here).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { initWasmBackend } from '../electron/core/training/wasm-kernels/index.js';

interface Bench {
  readonly name: string;
  readonly kernel: string;
  readonly inputs: () => Record<string, tf.Tensor>;
  readonly attrs: object;
}

function random(shape: number[]): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', 7);
}

const benches: Bench[] = [
  {
    name: 'conv 3×3 same, x[32,28,28,16] → 32',
    kernel: 'Conv2DBackpropFilter',
    inputs: () => ({ x: random([32, 28, 28, 16]), dy: random([32, 28, 28, 32]) }),
    attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 16, 32] },
  },
  {
    name: 'conv 3×3 stride 2, x[32,28,28,32] → 64',
    kernel: 'Conv2DBackpropFilter',
    inputs: () => ({ x: random([32, 28, 28, 32]), dy: random([32, 14, 14, 64]) }),
    attrs: { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 32, 64] },
  },
  {
    name: 'depthwise 3×3 filter grad, x[32,28,28,32]',
    kernel: 'DepthwiseConv2dNativeBackpropFilter',
    inputs: () => ({ x: random([32, 28, 28, 32]), dy: random([32, 28, 28, 32]) }),
    attrs: { strides: 1, dilations: 1, pad: 'same', filterShape: [3, 3, 32, 1] },
  },
  {
    name: 'depthwise 3×3 stride 2 input grad, x[32,28,28,32]',
    kernel: 'DepthwiseConv2dNativeBackpropInput',
    inputs: () => ({ dy: random([32, 14, 14, 32]), filter: random([3, 3, 32, 1]) }),
    attrs: { strides: 2, dilations: 1, pad: 'same', inputShape: [32, 28, 28, 32] },
  },
  {
    // tfjs's cpu kernel loops over every segment (O(segments × rows)): kept small so that it finishes.
    name: 'embedding grad, 32×32 lookups into 2000×64',
    kernel: 'UnsortedSegmentSum',
    inputs: () => ({ x: random([1024, 64]), segmentIds: tf.randomUniform([1024], 0, 2000, 'int32', 3) }),
    attrs: { numSegments: 2000 },
  },
];

async function timeKernel(backend: string, bench: Bench, runs: number, warmUp = true): Promise<number> {
  await tf.setBackend(backend);
  const inputs = bench.inputs();
  const once = () => {
    const out = tf.engine().runKernel(bench.kernel, inputs, bench.attrs as tf.NamedAttrMap) as tf.Tensor;
    out.dataSync();
    out.dispose();
  };
  if (warmUp) once();
  const started = performance.now();
  for (let i = 0; i < runs; i++) once();
  const ms = (performance.now() - started) / runs;
  tf.dispose(Object.values(inputs));
  return ms;
}

function heapBytes(): number {
  const backend = tf.engine().backend as unknown as { wasm: { HEAPU8: Uint8Array } };
  return backend.wasm.HEAPU8.byteLength;
}

async function trainStepMs(backend: string): Promise<number> {
  await tf.setBackend(backend);
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(), loss: 'categoricalCrossentropy' });
  const xs = tf.randomUniform([64, 28, 28, 1]);
  const ys = tf.oneHot(tf.randomUniform([64], 0, 10, 'int32'), 10);
  await model.trainOnBatch(xs, ys);
  const runs = 5;
  const started = performance.now();
  for (let i = 0; i < runs; i++) await model.trainOnBatch(xs, ys);
  const ms = (performance.now() - started) / runs;
  tf.dispose([xs, ys]);
  model.dispose();
  return ms;
}

await initWasmBackend();
console.log('kernel                                              wasm ms    cpu ms   speed-up');
for (const bench of benches) {
  const wasm = await timeKernel('wasm', bench, 5);
  const cpu = await timeKernel('cpu', bench, 1, false);
  console.log(`${bench.name.padEnd(50)} ${wasm.toFixed(1).padStart(8)} ${cpu.toFixed(1).padStart(9)} ${(cpu / wasm).toFixed(1).padStart(9)}×`);
}

await tf.setBackend('wasm');
const before = heapBytes();
for (const bench of benches) await timeKernel('wasm', bench, 40);
console.log(`wasm heap: ${(before / 2 ** 20).toFixed(0)} MiB before 200 more calls, ${(heapBytes() / 2 ** 20).toFixed(0)} MiB after`);

const wasmStep = await trainStepMs('wasm');
const cpuStep = await trainStepMs('cpu');
console.log(`conv-net training step, batch 64 of 28×28: wasm ${wasmStep.toFixed(0)} ms, cpu ${cpuStep.toFixed(0)} ms`);
