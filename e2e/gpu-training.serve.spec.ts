// One click trains on this browser's GPU: the renderer's worker trains on WebGL, reports every epoch to the core,
// and the run is stored like any other (SwiftShader gives headless Chromium its WebGL here).
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
  await expect(backends.getByRole('row', { name: /^webgl this browser's GPU: .*SwiftShader/ })).toBeVisible();
  await expect(backends.getByRole('row', { name: /^tfjs-node unavailable: @tensorflow\/tfjs-node is not installed/ })).toBeVisible();
  await expect(backends.getByRole('row', { name: /^wasm installed/ })).toBeVisible();

  await page.getByRole('combobox', { name: 'Backend' }).selectOption('webgl');
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByTestId('epoch-line')).toContainText(/Epoch \d+\/8 — loss/, { timeout: 60_000 });
  const metrics = page.getByRole('table', { name: 'Test metrics' });
  await expect(metrics).toBeVisible({ timeout: 90_000 });
  await expect(metrics.getByRole('caption')).toContainText('webgl');
  await expect(page.getByText(/Trained on GPU \(WebGL/)).toBeVisible();
  const accuracy = Number(await metrics.getByRole('row', { name: /^accuracy/ }).getByRole('cell').textContent());
  expect(accuracy).toBeGreaterThan(0.7);

  // Stored by the core: a reload (a fresh page) still lists it, with its 8 epochs.
  await page.reload();
  await page.getByRole('button', { name: /blobs\s*ready/ }).click();
  await expect(page.getByRole('table', { name: 'Runs' }).getByRole('row', { name: /succeeded.*webgl/ })).toHaveCount(1);
  await expect(page.getByRole('img', { name: /^Loss and \w+ per epoch/ })).toHaveAttribute('data-epochs', '8');
});
