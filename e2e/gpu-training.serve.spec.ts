// One click trains on the GPU through Chromium: the core hands the job to the open page (serve's Chromium trainer),
// whose worker trains on WebGL with the data it claimed as typed arrays, reports every epoch, and sends the trained
// model back; `auto` measures WebGL against the training process's backends. SwiftShader gives headless Chromium
// its WebGL here.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { makeTabularProject, tempDir } from '../electron/core/testing/git-fixtures.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

const debianChromium = '/usr/bin/chromium';
test.use({
  launchOptions: {
    ...(fs.existsSync(debianChromium) ? { executablePath: debianChromium } : {}),
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  },
});

let root: string;
let serve: ServeProcess;
test.beforeAll(async () => {
  root = tempDir('mc-e2e-gpu-');
  serve = await startServe(path.join(root, 'home'));
});
test.afterAll(async () => {
  await serve.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('train on WebGL from the Training tab: live epochs, metrics, and the run stored with its GPU', async ({ page }) => {
  const repo = makeTabularProject(path.join(root, 'src', 'blobs'), 8, 480);
  await page.goto(serve.url);
  const form = page.getByLabel('Add a project');
  await form.getByRole('textbox').first().fill(repo);
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'blobs', level: 2 })).toBeVisible();

  // "This machine" lists every backend: this browser's GPU, and the training process's.
  await page.getByText('This machine').click();
  const backends = page.getByRole('table', { name: 'Training backends on this machine' });
  await expect(backends.getByRole('row', { name: /^webgl a software renderer through Chromium, not a GPU: .*SwiftShader/ })).toBeVisible();
  await expect(backends.getByRole('row', { name: /^tfjs-node unavailable: @tensorflow\/tfjs-node is not installed/ })).toBeVisible();
  // Measured in the background once the project is open: installed, or already with its figure.
  await expect(backends.getByRole('row', { name: /^wasm (installed|[\d,]+ samples\/s)/ })).toBeVisible();

  await page.getByRole('combobox', { name: 'Backend' }).selectOption('webgl');
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByTestId('epoch-line')).toContainText(/Epoch \d+\/8 — loss/, { timeout: 60_000 });
  const metrics = page.getByRole('table', { name: 'Test metrics' });
  await expect(metrics).toBeVisible({ timeout: 90_000 });
  await expect(metrics.getByRole('caption')).toContainText('webgl');
  await expect(page.getByText(/Trained on software renderer, not a GPU \(WebGL/)).toBeVisible();
  const accuracy = Number(await metrics.getByRole('row', { name: /^accuracy/ }).getByRole('cell').textContent());
  expect(accuracy).toBeGreaterThan(0.7);

  // The trained model came back from the page and sits in the data folder as a tfjs checkpoint.
  const saved = (await page.getByText(/model saved in/).locator('.mono').last().textContent())!;
  expect(saved.startsWith(path.join(root, 'home'))).toBe(true);
  const modelJson = JSON.parse(fs.readFileSync(path.join(saved, 'model.json'), 'utf8')) as { weightsManifest: { weights: { shape: number[] }[] }[] };
  const floats = modelJson.weightsManifest[0]!.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  expect(fs.statSync(path.join(saved, 'weights.bin')).size).toBe(floats * 4);

  // Stored by the core: a reload (a fresh page) still lists it, with its 8 epochs.
  await page.reload();
  await page.getByRole('button', { name: /blobs\s*ready/ }).click();
  await expect(page.getByRole('table', { name: 'Runs' }).getByRole('row', { name: /succeeded.*webgl/ })).toHaveCount(1);
  await expect(page.getByRole('img', { name: /^Loss and \w+ per epoch/ })).toHaveAttribute('data-epochs', '8');
});

test('auto measures WebGL in the page against the training process, records every figure, and trains on the fastest', async ({ page }) => {
  const repo = makeTabularProject(path.join(root, 'src', 'blobs-auto'), 3, 480);
  await page.goto(serve.url);
  const form = page.getByLabel('Add a project');
  await form.getByRole('textbox').first().fill(repo);
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'blobs-auto', level: 2 })).toBeVisible();

  await page.getByRole('combobox', { name: 'Backend' }).selectOption('auto');
  await page.getByRole('button', { name: 'Train' }).click();
  const probes = page.getByTestId('probes');
  await expect(probes).toBeVisible({ timeout: 120_000 });
  const text = (await probes.textContent())!;
  const figure = (backend: string) => Number(new RegExp(`${backend} ([\\d,]+) samples/s`).exec(text)?.[1]?.replaceAll(',', '') ?? NaN);
  expect(figure('webgl')).toBeGreaterThan(0);
  expect(figure('wasm')).toBeGreaterThan(0);
  expect(text).toMatch(/tfjs-node: .*not installed/);
  const metrics = page.getByRole('table', { name: 'Test metrics' });
  await expect(metrics).toBeVisible({ timeout: 120_000 });
  const fastest = ['webgl', 'webgpu', 'wasm', 'cpu'].filter((b) => figure(b) > 0).sort((a, b) => figure(b) - figure(a))[0]!;
  await expect(metrics.getByRole('caption')).toContainText(fastest);

  // "This machine" now shows the figures the probe measured.
  await page.getByText('This machine').click();
  const backends = page.getByRole('table', { name: 'Training backends on this machine' });
  await expect(backends.getByRole('row', { name: /^webgl .*samples\/s in the last probe/ })).toBeVisible();
  await expect(backends.getByRole('row', { name: /^wasm .*samples\/s in the last probe/ })).toBeVisible();
});

test('a WebGL run is cancelled from the UI: the page stops training and the run is recorded as cancelled', async ({ page }) => {
  const repo = makeTabularProject(path.join(root, 'src', 'blobs-long'), 5000, 480);
  await page.goto(serve.url);
  const form = page.getByLabel('Add a project');
  await form.getByRole('textbox').first().fill(repo);
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'blobs-long', level: 2 })).toBeVisible();
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('webgl');
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByTestId('epoch-line')).toContainText(/Epoch \d+\/5000/, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Cancel training' }).click();
  await expect(page.getByText('Run cancelled: Cancelled')).toBeVisible();
  const line = await page.getByTestId('epoch-line').textContent();
  await page.waitForTimeout(1500);
  expect(await page.getByTestId('epoch-line').textContent()).toBe(line); // no epoch arrives after the cancel
  await expect(page.getByRole('button', { name: 'Train' })).toBeEnabled();
});
