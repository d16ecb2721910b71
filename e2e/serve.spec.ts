// The slice, clicked through as a person would in Chromium against `modelcommons serve`:
// add → clone → open → contributors → train → live loss → metrics → restart → run still listed.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { makeTabularProject, tempDir } from '../electron/core/testing/git-fixtures.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

let root: string;
let serve: ServeProcess | undefined;

test.beforeAll(() => {
  root = tempDir('mc-e2e-');
});
test.afterAll(async () => {
  await serve?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('add, open, see contributors, train with a live curve, and find the run after a restart', async ({ page }) => {
  // Enough rows that the run lasts seconds, so the live curve is seen moving.
  const repo = makeTabularProject(path.join(root, 'src', 'blobs'), 60, 1500);
  const home = path.join(root, 'home');
  serve = await startServe(home);

  // Without the token the page is refused.
  const bare = await page.request.get(serve.url.replace(/\?token=.*/, ''));
  expect(bare.status()).toBe(401);

  await page.goto(serve.url);
  await expect(page.getByRole('heading', { name: 'ModelCommons' })).toBeVisible();
  await expect(page).not.toHaveURL(/token=/);

  // Add the project by its folder; the clone runs and the project opens.
  await page.getByLabel('Add a project').getByRole('textbox').fill(repo);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'blobs', level: 2 })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Projects on this machine' }).getByRole('button', { name: /blobs\s*ready/ })).toBeVisible();

  // Contributors and commits.
  await page.getByRole('tab', { name: 'Contributors' }).click();
  const people = page.getByRole('table', { name: 'Contributor impact' });
  const ada = people.getByRole('row', { name: /Ada Lovelace/ });
  const grace = people.getByRole('row', { name: /Grace Hopper/ });
  await expect(ada.getByRole('cell').nth(2)).toHaveText('2'); // commits
  await expect(grace.getByRole('cell').nth(2)).toHaveText('1');
  // Ada wrote the data and the README, Grace the manifest (config, counted as code): moving the sliders
  // towards docs & data moves the shares live.
  const adaShare = async () => Number((await ada.getByRole('cell').nth(1).textContent())!.replace('%', ''));
  await page.getByRole('slider', { name: 'β docs & data' }).fill('1');
  await page.getByRole('slider', { name: 'α code' }).fill('0');
  await expect.poll(adaShare).toBeGreaterThan(99);
  await page.getByRole('slider', { name: 'β docs & data' }).fill('0');
  await page.getByRole('slider', { name: 'α code' }).fill('1');
  await expect.poll(adaShare).toBeLessThan(1);
  await ada.click();
  await expect(page.getByRole('table', { name: 'Lines by category for Ada Lovelace' })).toBeVisible();
  // Her timeline: both her commits are dated January 2026 by the fixture; the project chart has a month too.
  const timeline = page.getByRole('img', { name: /^Commits per month by Ada Lovelace/ });
  await expect(timeline).toHaveAttribute('data-months', '1');
  await expect(timeline).toHaveAccessibleName(/2026-01 2 commits/);
  await expect(page.getByRole('table', { name: 'Files changed most by Ada Lovelace' }).getByRole('row', { name: /README\.md/ })).toBeVisible();
  const projectActivity = page.getByRole('img', { name: /^Project commits per month/ });
  await expect.poll(async () => Number(await projectActivity.getAttribute('data-months'))).toBeGreaterThanOrEqual(1);
  // Identities: merge two people by hand, then split the alias off again; both are remembered by the store.
  await page.getByRole('combobox', { name: 'Same person as' }).selectOption({ label: 'Grace Hopper <grace@example.org>' });
  await page.getByRole('button', { name: 'Merge' }).click();
  const rowsOf = () => people.getByRole('row').filter({ has: page.getByRole('cell') });
  await expect(rowsOf()).toHaveCount(1);
  await expect(rowsOf().first().getByRole('cell').nth(2)).toHaveText('3');
  await rowsOf().first().click();
  await page.getByRole('list', { name: /^Identities of / }).getByRole('listitem').filter({ hasText: 'grace@example.org' }).getByRole('button', { name: 'Split off' }).click();
  await expect(rowsOf()).toHaveCount(2);
  // The project's own category rule: the README counts as code, so Ada's docs lines (column 6) drop to 0.
  await expect(ada.getByRole('cell').nth(6)).not.toHaveText('0');
  await page.getByText('Category rules').click();
  await page.getByRole('textbox', { name: 'Category rules for this project' }).fill('README.md = code');
  await page.getByRole('button', { name: 'Save rules' }).click();
  await expect(ada.getByRole('cell').nth(6)).toHaveText('0');
  await page.getByRole('tab', { name: 'Commits' }).click();
  await expect(page.getByRole('table', { name: 'Commits' }).getByRole('row')).toHaveCount(4);

  // Train: the loss arrives epoch by epoch while the run is going.
  await page.getByRole('tab', { name: 'Training' }).click();
  await expect(page.getByText('blobs · classification · 2 layers · 60 epochs')).toBeVisible();
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByRole('progressbar', { name: /^Epoch \d+ of 60/ })).toBeVisible();
  const chart = page.getByRole('img', { name: /^Loss and \w+ per epoch/ });
  await expect.poll(async () => Number(await chart.getAttribute('data-epochs'))).toBeGreaterThan(0);
  const seenWhileRunning = Number(await chart.getAttribute('data-epochs'));
  await expect(page.getByTestId('epoch-line')).toContainText(/Epoch \d+\/60 — loss \d\.\d{4}/);

  // The final metrics.
  const metrics = page.getByRole('table', { name: 'Test metrics' });
  await expect(metrics).toBeVisible({ timeout: 90_000 });
  expect(seenWhileRunning).toBeLessThan(60);
  await expect(chart).toHaveAttribute('data-epochs', '60');
  const accuracy = Number(await metrics.getByRole('row', { name: /^accuracy/ }).getByRole('cell').textContent());
  expect(accuracy).toBeGreaterThan(0.75);
  await expect(page.getByRole('table', { name: /Confusion matrix/ })).toBeVisible();
  // auto measured the model on each backend and says what it found.
  await expect(page.getByTestId('probes')).toContainText(/wasm [\d,]+ samples\/s/);
  await expect(page.getByTestId('probes')).toContainText(/cpu [\d,]+ samples\/s/);
  await expect(page.getByTestId('probes')).toContainText('tfjs-node: @tensorflow/tfjs-node is not installed');
  await page.screenshot({ path: path.join('e2e', '.tmp', 'slice.png'), fullPage: true });

  // Restart the server: the project and its run are still there.
  await serve.stop();
  serve = await startServe(home);
  await page.goto(serve.url);
  await page.getByRole('button', { name: /blobs\s*ready/ }).click();
  const runs = page.getByRole('table', { name: 'Runs' });
  await expect(runs.getByRole('row', { name: /succeeded.*(tfjs-node|wasm|cpu).*accuracy [01]\.\d{4}/ })).toHaveCount(1);
});
