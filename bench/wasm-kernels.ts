// Micro-benchmark of the wasm gradient kernels (electron/core/training/wasm-kernels) against tfjs's cpu backend, on
// training-sized shapes, plus a whole conv-net training step. Also checks that repeated calls do not grow the wasm
// heap (the composed convs create XNNPACK operators keyed by a fresh filter every call).
// Run: npx tsx bench/wasm-kernels.ts (a few minutes: tfjs's cpu Conv2DBackpropFilter takes ~15 s a call here).
// npx tsx bench/wasm-kernels.ts --profile [steps]: only the per-kernel time of one training step of the CNN of
// bench/train-speed.ts, as train-on-data.ts runs it (median over the steps, kernels run inside others indented), and
// the step time with and without the SIMD kernels (kernels.wat) in the same run.
// Time kernels on fresh inputs, as in training: XNNPACK packs a matrix product's right operand (a conv's filter) once
// per buffer, so a micro-benchmark that feeds the same buffer every call hides a cost of ~3 ns per element.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { buildModel } from '../electron/core/training/portable/build-model.js';
import { initWasmBackend } from '../electron/core/training/wasm-kernels/index.js';
import { setSimdKernelsEnabled } from '../electron/core/training/wasm-kernels/simd/simd-kernels.js';
import { Manifest } from '../shared/manifest.js';
import { benchManifest } from './mnist-bench-data.js';

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
    name: 'max-pool 2×2 grad, x[64,26,26,16]',
    kernel: 'MaxPoolGrad',
    inputs: () => {
      const input = tf.relu(random([64, 26, 26, 16]));
      const output = tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid');
      return { input, output, dy: random([64, 13, 13, 16]) };
    },
    attrs: { filterSize: 2, strides: 2, pad: 'valid' },
  },
  {
    name: 'conv bias grad (Sum over N,H,W), x[64,26,26,16]',
    kernel: 'Sum',
    inputs: () => ({ x: random([64, 26, 26, 16]) }),
    attrs: { axis: [0, 1, 2], keepDims: false },
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

/** Median per-kernel milliseconds of one CNN training step (bench/train-speed.ts's model and loss), by kernel and shapes. */
async function profileCnnStep(steps: number): Promise<void> {
  await tf.setBackend('wasm');
  const manifest = Manifest.parse(benchManifest('cnn', 1));
  const { model } = buildModel(manifest, 784, 10);
  const trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const xs = Float32Array.from({ length: 64 * 784 }, () => Math.random());
  const ys = Int32Array.from({ length: 64 }, () => Math.floor(Math.random() * 10));
  // The loss train-on-data.ts uses for a softmax output.
  const step = () => {
    const x = tf.tensor2d(xs, [64, 784]);
    const y = tf.tensor1d(ys, 'int32');
    const cost = model.optimizer.minimize(
      () => {
        const out = model.apply(x, { training: true }) as tf.Tensor2D;
        const picked = tf.sum(tf.mul(out, tf.oneHot(y as tf.Tensor1D, 10)), -1);
        return tf.neg(tf.mean(tf.log(tf.clipByValue(picked, 1e-7, 1)))) as tf.Scalar;
      },
      true,
      trainable,
    )!;
    tf.dispose([cost, x, y]);
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (let i = 0; i < 10; i++) step();
  // Steps with the SIMD kernels (kernels.wat) and without (JS loops + native kernels), interleaved so that the load of
  // a shared machine hits both alike.
  const plain: number[] = [];
  const withoutSimd: number[] = [];
  for (let i = 0; i < steps; i++) {
    for (const simd of [true, false]) {
      setSimdKernelsEnabled(simd);
      const started = performance.now();
      step();
      (simd ? plain : withoutSimd).push(performance.now() - started);
    }
  }
  setSimdKernelsEnabled(true);

  const samples = new Map<string, number[][]>(); // key → per step → per call ms
  let depth = 0;
  let stepIndex = 0;
  const restore: (() => void)[] = [];
  for (const config of tf.getKernelsForBackend('wasm')) {
    const inner = config.kernelFunc;
    const mutable = config as { kernelFunc: tf.KernelFunc };
    restore.push(() => (mutable.kernelFunc = inner));
    mutable.kernelFunc = (args) => {
      depth++;
      const started = performance.now();
      try {
        return inner(args);
      } finally {
        const ms = performance.now() - started;
        depth--;
        const shapes = Object.values(args.inputs).map((t) => (t ? `[${t.shape.join(',')}]` : '-'));
        const key = `${'  '.repeat(depth)}${config.kernelName} ${shapes.join('')}`;
        const perStep = samples.get(key) ?? [];
        (perStep[stepIndex] ??= []).push(ms);
        samples.set(key, perStep);
      }
    };
  }
  try {
    for (stepIndex = 0; stepIndex < steps; stepIndex++) step();
  } finally {
    for (const undo of restore) undo();
    model.dispose();
  }
  const rows = [...samples].map(([key, perStep]) => {
    const totals = perStep.map((calls) => calls.reduce((a, b) => a + b, 0));
    return { key, ms: median(totals), calls: perStep[0]?.length ?? 0, top: !key.startsWith(' ') };
  });
  const topTotal = rows.filter((r) => r.top).reduce((a, r) => a + r.ms, 0);
  const stepMs = median(plain);
  console.log(`CNN training step (batch 64): ${stepMs.toFixed(2)} ms (${Math.round((64 * 1000) / stepMs)} samples/s), median of ${steps}`);
  const noSimdMs = median(withoutSimd);
  console.log(`  without the SIMD kernels: ${noSimdMs.toFixed(2)} ms (${Math.round((64 * 1000) / noSimdMs)} samples/s), same run`);
  console.log(`top-level kernels ${topTotal.toFixed(2)} ms; the rest is tfjs's engine, tape and JavaScript`);
  for (const r of rows.sort((a, b) => b.ms - a.ms).filter((r) => r.ms >= 0.05)) {
    console.log(`${r.ms.toFixed(3).padStart(8)} ms ×${r.calls}  ${r.key}`);
  }
}

await initWasmBackend();
const profileAt = process.argv.indexOf('--profile');
if (profileAt >= 0) {
  await profileCnnStep(Number(process.argv[profileAt + 1] ?? 50) || 50);
  process.exit(0);
}
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
