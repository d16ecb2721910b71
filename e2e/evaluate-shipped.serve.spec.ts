// "Evaluate shipped model", in Chromium against `serve` (issue #14): offered beside Train for a model file that
// carries trained weights, it scores them on the test rows without an epoch.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../electron/core/testing/git-fixtures.js';
import { makeShippedModelProject } from '../electron/core/testing/shipped-model-project.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

let root: string;
let serve: ServeProcess;

test.beforeAll(async () => {
  root = tempDir('mc-e2e-evaluate-shipped-');
  serve = await startServe(path.join(root, 'home'));
});
test.afterAll(async () => {
  await serve.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('a model file with weights is evaluated as shipped: no epoch, its test metrics', async ({ page }) => {
  await page.goto(serve.url);
  const form = page.getByLabel('Add a project');
  await form.getByRole('textbox').first().fill(makeShippedModelProject(path.join(root, 'src', 'shipped')));
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'shipped', level: 2 })).toBeVisible();
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await page.getByRole('button', { name: 'Evaluate shipped model' }).click();
  const metrics = page.getByRole('table', { name: 'Test metrics' });
  await expect(metrics).toBeVisible({ timeout: 60_000 });
  // The shipped weights classify every test row: an untrained model would not.
  await expect(metrics.getByRole('row', { name: /^accuracy/ })).toContainText('1.0000');
  await expect(page.getByText('model.evaluate: the shipped model is evaluated on the test rows as it is, without training')).toBeVisible();
});
