// Option (b) of "every core": tfjs's threaded WebAssembly backend in Chromium, cross-origin isolated (COOP/COEP, so
// SharedArrayBuffer exists), training the bench MLP (784 → 128 → 10, Adam, batch B) with 1 thread and with every
// core, in the same run. Stock tfjs-wasm 4.22 only: it has no gradient kernels for the CNN (ours run single-threaded
// inside its memory), so the CNN cannot take part. Run: npx tsx bench/chromium-wasm-threads.ts [--batches 32,64]
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright';

const { values: opts } = parseArgs({ options: { batches: { type: 'string', default: '32,64' }, steps: { type: 'string', default: '300' } } });
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const files: Record<string, string> = {
  '/tf-core.js': 'node_modules/@tensorflow/tfjs-core/dist/tf-core.min.js',
  '/tf-layers.js': 'node_modules/@tensorflow/tfjs-layers/dist/tf-layers.min.js',
  '/tf-backend-wasm.js': 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js',
  '/tfjs-backend-wasm.wasm': 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
  '/tfjs-backend-wasm-simd.wasm': 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
  '/tfjs-backend-wasm-threaded-simd.wasm': 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm',
};
const page = `<!doctype html><script src="/tf-core.js"></script><script src="/tf-layers.js"></script><script src="/tf-backend-wasm.js"></script>`;

// Sent as text: tsx's transform would add helpers (__name) to a function that the page does not have.
const inPage = `async ({ threads, batch, steps, origin }) => {
  tf.wasm.setWasmPaths(origin + '/');
  tf.wasm.setThreadsCount(threads);
  await tf.setBackend('wasm');
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
  const optimizer = tf.train.adam(0.001);
  const x = tf.randomUniform([batch, 784]);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10);
  const step = () => tf.tidy(() => { optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x)), false); });
  for (let i = 0; i < 20; i++) step();
  const began = performance.now();
  for (let i = 0; i < steps; i++) step();
  const seconds = (performance.now() - began) / 1000;
  return { samplesPerSecond: (steps * batch) / seconds, isolated: crossOriginIsolated, threads: tf.wasm.getThreadsCount(), multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'), simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') };
}`;

const server = http.createServer((req, res) => {
  const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  const file = files[req.url ?? ''];
  if (req.url === '/') res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(page);
  else if (file) {
    const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    res.writeHead(200, { ...headers, 'Content-Type': type }).end(fs.readFileSync(path.join(root, file)));
  } else res.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });

/** Training samples per second of `steps` MLP steps at `batch` on `threads` wasm threads, in a fresh page. */
interface PageResult {
  samplesPerSecond: number;
  isolated: boolean;
  threads: number;
  multithread: boolean;
}
async function measure(threads: number, batch: number): Promise<PageResult> {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(origin);
  const args = JSON.stringify({ threads, batch, steps: Number(opts.steps), origin });
  const result = (await tab.evaluate(`(${inPage})(${args})`)) as PageResult;
  await context.close();
  return result;
}

const cores = os.availableParallelism();
console.log(`Chromium ${browser.version()}, stock tfjs-wasm 4.22 (SIMD), MLP 784 → 128 → 10, Adam, ${opts.steps} steps, ${cores} cores`);
for (const batch of opts.batches!.split(',').map(Number)) {
  const one = await measure(1, batch);
  const all = await measure(cores, batch);
  console.log(
    `batch ${batch}: 1 thread asked ${Math.round(one.samplesPerSecond)} samples/s | ${cores} threads asked ${Math.round(all.samplesPerSecond)} samples/s ` +
      `(cross-origin isolated: ${all.isolated}, threads supported: ${all.multithread}; tfjs's pool reports ${all.threads}): ratio ${(all.samplesPerSecond / one.samplesPerSecond).toFixed(2)}x`,
  );
}
await browser.close();
server.close();
