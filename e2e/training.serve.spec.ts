// One-click training beyond dense nets, in Chromium against `serve`: a conv model and an embedding model train on
// the wasm backend, and a long run can be cancelled from the UI.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { blobsCsv, halfImagesCsv, makeRepo, tempDir, tokensCsv } from '../electron/core/testing/git-fixtures.js';
import { addProject } from './support/add-project.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

let root: string;
let serve: ServeProcess;

const project = (name: string, csv: string, layers: unknown[], epochs: number) =>
  makeRepo(path.join(root, 'src', name), [
    {
      author: 'Ada Lovelace',
      email: 'ada@example.org',
      message: `Add ${name}`,
      files: {
        'data/train.csv': csv,
        'modelcommons.json': JSON.stringify({
          name,
          task: 'classification',
          data: { train: 'data/train.csv', label: 'label', normalize: 'none', split: { test: 0.2, seed: 1 } },
          model: { layers },
          training: { epochs, batchSize: 16, optimizer: 'adam', learningRate: 0.02, seed: 3 },
        }),
      },
    },
  ]);

test.beforeAll(async () => {
  root = tempDir('mc-e2e-training-');
  serve = await startServe(path.join(root, 'home'));
});
test.afterAll(async () => {
  await serve.stop();
  fs.rmSync(root, { recursive: true, force: true });
});


test('a conv model and an embedding model train on the wasm backend', async ({ page }) => {
  const conv = project('halves-conv', halfImagesCsv(200, 8), [
    { type: 'reshape', targetShape: [8, 8, 1] },
    { type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu', padding: 'same' },
    { type: 'maxPooling2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 2, activation: 'softmax' },
  ], 6);
  const embedding = project('tokens-embedding', tokensCsv(200, 6), [
    { type: 'embedding', inputDim: 20, outputDim: 8 },
    { type: 'globalAveragePooling1d' },
    { type: 'dense', units: 2, activation: 'softmax' },
  ], 6);
  await page.goto(serve.url);
  for (const [repo, name] of [[conv, 'halves-conv'], [embedding, 'tokens-embedding']] as const) {
    await addProject(page, repo, name);
    await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
    await page.getByRole('button', { name: 'Train' }).click();
    const metrics = page.getByRole('table', { name: 'Test metrics' });
    await expect(metrics).toBeVisible({ timeout: 60_000 });
    await expect(metrics.getByRole('caption')).toContainText('wasm');
    await expect(page.getByText(/Trained on CPU \(WebAssembly SIMD/)).toBeVisible();
    const accuracy = Number(await metrics.getByRole('row', { name: /^accuracy/ }).getByRole('cell').textContent());
    expect(accuracy).toBeGreaterThan(0.7);
    // The curves are train vs validation; the split's rows are stated (200 rows: 40 test, 16 validation).
    await expect(page.getByRole('img', { name: /^Loss and accuracy per epoch \(training and validation loss, validation accuracy\)/ })).toBeVisible();
    await expect(page.getByTestId('split')).toContainText(/^Rows: 144 train · 16 validation · 40 test · best validation epoch \d+$/);
  }
});

test('a long run is cancelled from the UI and recorded as cancelled', async ({ page }) => {
  const long = makeRepo(path.join(root, 'src', 'long-run'), [
    {
      author: 'Ada Lovelace',
      email: 'ada@example.org',
      message: 'Add data',
      files: {
        'data/train.csv': blobsCsv(2000, 4, 3, 5),
        'modelcommons.json': JSON.stringify({
          name: 'long-run',
          task: 'classification',
          data: { train: 'data/train.csv', label: 'label' },
          model: { layers: [{ type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: 3, activation: 'softmax' }] },
          training: { epochs: 5000, batchSize: 8 },
        }),
      },
    },
  ]);
  await page.goto(serve.url);
  await addProject(page, long, 'long-run');
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByTestId('epoch-line')).toContainText(/Epoch \d+\/5000/);
  await page.getByRole('button', { name: 'Cancel training' }).click();
  await expect(page.getByText('Run cancelled: Cancelled')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Runs' }).getByRole('row', { name: /cancelled/ })).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Train' })).toBeEnabled();
});
