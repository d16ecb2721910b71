// Housekeeping in Chromium against `serve`: a run is deleted from the runs table (its saved model goes too), and a
// project — a failed clone, and a ready one — is removed from its page, each through a confirm step.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { makeTabularProject, tempDir } from '../electron/core/testing/git-fixtures.js';
import { seriousViolations } from './support/axe.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

let root: string;
let home: string;
let serve: ServeProcess;

test.beforeAll(async () => {
  root = tempDir('mc-e2e-housekeeping-');
  home = path.join(root, 'home');
  serve = await startServe(home);
});
test.afterAll(async () => {
  await serve.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('a run is deleted from the runs table after confirming, and a ready project is removed with its clone', async ({ page }) => {
  const repo = makeTabularProject(path.join(root, 'src', 'blobs'), 2, 60);
  await page.goto(serve.url);
  const form = page.getByLabel('Add a project');
  await form.getByRole('textbox').first().fill(repo);
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'blobs', level: 2 })).toBeVisible();
  await expect(page.getByTestId('disk-use')).toContainText(/Disk: clone \d+(\.\d)? (B|KiB|MiB) · runs' models 0 B/);

  await page.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await page.getByRole('button', { name: 'Train' }).click();
  const runs = page.getByRole('table', { name: 'Runs' });
  await expect(runs.getByRole('cell', { name: 'succeeded' })).toBeVisible({ timeout: 60_000 });
  const runFolders = () => fs.readdirSync(path.join(home, 'runs'));
  expect(runFolders()).toHaveLength(1);

  // The first press only asks; "Keep" leaves the run; "Yes, delete" deletes it and its saved model.
  await runs.getByRole('button', { name: /^Delete the run of / }).click();
  await expect(runs.getByRole('group', { name: 'Delete this run and its model?' })).toBeVisible();
  await expect(runs.getByRole('button', { name: 'Keep' })).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  await runs.getByRole('button', { name: 'Keep' }).click();
  await expect(runs.getByRole('cell', { name: 'succeeded' })).toBeVisible();
  await runs.getByRole('button', { name: /^Delete the run of / }).click();
  await runs.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByText('No runs yet.')).toBeVisible();
  expect(runFolders()).toHaveLength(0);

  const clone = fs.readdirSync(path.join(home, 'projects')).map((f) => path.join(home, 'projects', f));
  expect(clone).toHaveLength(1);
  await page.getByRole('button', { name: 'Remove project' }).click();
  await page.getByRole('button', { name: 'Yes, remove project' }).click();
  await expect(page.getByRole('button', { name: /^blobs/ })).toHaveCount(0);
  expect(fs.existsSync(clone[0]!)).toBe(false);
  expect(fs.existsSync(path.join(repo, 'modelcommons.json'))).toBe(true); // the source repository is untouched
});

test('a failed clone is removed from its page with the confirm step', async ({ page }) => {
  // A loopback port with nothing listening: the clone fails at once.
  const port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(p));
    });
  });
  await page.goto(serve.url);
  const form = page.getByLabel('Add a project');
  await form.getByRole('textbox').first().fill(`http://127.0.0.1:${port}/gone.git`);
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(form.getByRole('alert')).toBeVisible();
  await page.getByRole('button', { name: /^gone\s*failed/ }).click();
  await expect(page.getByRole('heading', { name: 'gone', level: 2 })).toBeVisible();

  const failed = page.locator('.failed-clone');
  await expect(failed.getByRole('button', { name: 'Retry clone' })).toBeVisible();
  await failed.getByRole('button', { name: 'Remove project' }).click();
  await expect(failed.getByRole('group', { name: 'Remove it, its runs and its clone folder?' })).toBeVisible();
  await failed.getByRole('button', { name: 'Yes, remove project' }).click();
  await expect(page.getByRole('button', { name: /^gone/ })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'gone', level: 2 })).toHaveCount(0);
});
