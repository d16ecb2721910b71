// A repository with only a CSV, in Chromium against `serve`: added in place, Set up on the Training tab proposes a
// manifest with a preview, Save keeps it in the data folder, and Train trains it — the folder itself never changes.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { blobsCsv, git, makeRepo, tempDir, treeHash } from '../electron/core/testing/git-fixtures.js';
import { seriousViolations } from './support/axe.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

let root: string;
let serve: ServeProcess;
let repo: string;

test.beforeAll(async () => {
  root = tempDir('mc-e2e-setup-');
  repo = makeRepo(path.join(root, 'src', 'measurements'), [
    { author: 'Ada', email: 'ada@x.org', message: 'data', files: { 'data/blobs.csv': blobsCsv(150, 4, 3, 2), 'README.md': '# Blobs\n' } },
  ]);
  serve = await startServe(path.join(root, 'home'));
});
test.afterAll(async () => {
  await serve.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('a repo with only a CSV: add in place, Set up, Save, Train; the folder is unchanged', async ({ page }) => {
  const before = treeHash(repo);
  await page.goto(serve.url);
  const form = page.getByLabel('Add a project');
  await form.getByRole('textbox').first().fill(repo);
  await form.getByRole('radio', { name: 'Use this folder in place' }).check();
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'measurements', level: 2 })).toBeVisible();
  // In place: nothing offers to fetch, pull or check out into the person's folder.
  await expect(page.getByText(/^Your own folder, used in place/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Check for updates' })).toHaveCount(0);
  await page.getByRole('tab', { name: 'Training' }).click();

  const setup = page.getByRole('region', { name: 'Set up training' });
  await expect(setup).toBeVisible();
  await expect(setup.getByRole('combobox', { name: 'Data' })).toHaveValue('data/blobs.csv');
  await expect(setup.getByRole('combobox', { name: 'Label' })).toHaveValue('label');
  await expect(setup.getByRole('combobox', { name: 'Task' })).toHaveValue('classification');
  const preview = setup.getByRole('table', { name: 'Preview' });
  await expect(preview.getByRole('row')).toHaveCount(6); // the header and five rows
  await expect(setup.getByRole('checkbox', { name: /^f2/ })).toBeChecked();
  expect(await seriousViolations(page, '.setup')).toEqual([]);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();

  await setup.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('region', { name: 'Set up training' })).toHaveCount(0);
  await expect(page.getByText(/measurements · classification · 2 layers · 30 epochs/)).toBeVisible();

  await page.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const metrics = page.getByRole('table', { name: 'Test metrics' });
  await expect(metrics).toBeVisible({ timeout: 90_000 });
  const accuracy = Number(await metrics.getByRole('row', { name: /^accuracy/ }).getByRole('cell').textContent());
  expect(accuracy).toBeGreaterThan(0.6);

  // The set-up can be changed later: the panel comes back on request, proposing afresh.
  await page.getByRole('button', { name: /^Set up again/ }).click();
  await expect(page.getByRole('region', { name: 'Set up training' }).getByRole('combobox', { name: 'Label' })).toHaveValue('label');

  expect(fs.existsSync(path.join(root, 'home', 'overlays'))).toBe(true);
  expect(treeHash(repo)).toBe(before);
  expect(git(repo, ['status', '--porcelain'])).toBe('');
});
