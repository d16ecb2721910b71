// The contributor page's interaction timeline: after a sync with "GitHub" (a loopback server answering like its
// REST API), each person's issues opened, answers, reviews and review comments appear as bars per month —
// clicked as a person would, read as a screen reader would.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { emptyCommunity, startForgeApiServer, type ForgeApiServer } from '../electron/core/testing/forge-api-server.js';
import { makeRepo, tempDir } from '../electron/core/testing/git-fixtures.js';
import { addProject } from './support/add-project.js';
import { seriousViolations } from './support/axe.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

let root: string;
let serve: ServeProcess | undefined;
let forge: ForgeApiServer;

test.beforeAll(async () => {
  root = tempDir('mc-e2e-forge-timeline-');
  const c = emptyCommunity();
  const quinn = { login: 'quinn' };
  const ada = { login: 'ada' };
  c.issues.push(
    { number: 1, user: quinn, createdAt: '2026-01-10T08:00:00Z', updatedAt: '2026-02-05T08:00:00Z' },
    { number: 2, user: quinn, updatedAt: '2026-03-02T08:00:00Z' },
    { number: 3, user: quinn, pull: true, updatedAt: '2026-03-04T08:00:00Z' },
  );
  c.comments.push(
    { id: 7, issue: 1, user: ada, updatedAt: '2026-02-03T08:00:00Z' },
    { id: 8, issue: 1, user: ada, updatedAt: '2026-03-03T08:00:00Z' }, // the same issue again: still one answer, in February
  );
  c.reviews.push({ id: 9, pull: 3, user: ada, state: 'APPROVED', submittedAt: '2026-03-04T09:00:00Z' });
  c.reviewComments.push({ id: 10, pull: 3, user: ada, updatedAt: '2026-03-04T09:30:00Z' });
  c.commits.push({ sha: 's', login: 'ada', name: 'Ada Lovelace', email: 'ada@example.org', date: '2026-01-01T00:00:00Z' });
  forge = await startForgeApiServer(c);
});
test.afterAll(async () => {
  await serve?.stop();
  await forge.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('after a sync, the contributor page shows each person’s issues, answers and reviews per month; images count as data by files and bytes', async ({ page }) => {
  const png = 'PNG\0\0\0\0\0\0\0'; // 10 bytes with NULs: binary to git, as an image is
  const repo = makeRepo(path.join(root, 'src', 'timeline'), [
    { author: 'Ada Lovelace', email: 'ada@example.org', message: 'model', files: { 'model.py': 'a\nb\n' } },
    { author: 'Ada Lovelace', email: 'ada@example.org', message: 'the images', files: { 'images/train/0.png': png, 'images/test/1.png': png } },
  ]);
  serve = await startServe(path.join(root, 'home'));
  await page.goto(serve.url);
  await addProject(page, repo);
  await page.getByRole('tab', { name: 'Contributors' }).click();
  const people = page.getByRole('table', { name: 'Contributor impact' });
  // The images are data in their own units (the test split too): files and bytes, in the Data column and the details.
  await expect(people.getByRole('row', { name: /Ada Lovelace/ })).toContainText('0 / 2 files (20 B)');
  await people.getByRole('row', { name: /Ada Lovelace/ }).click();
  await expect(page.getByRole('table', { name: 'Lines by category for Ada Lovelace' }).getByRole('row', { name: /^data/ })).toContainText('2 binary files, 20 B');
  // Not connected: no forge timeline, only the commits one.
  await expect(page.getByTestId('contributor-timeline')).toBeVisible();
  await expect(page.getByTestId('contributor-interaction-timeline')).toHaveCount(0);

  const form = page.getByRole('form', { name: 'Connect to GitHub or GitLab' });
  await form.getByLabel('Owner/repo').fill('octo/timeline');
  await form.getByLabel('API URL').fill(forge.baseUrl);
  await form.getByRole('button', { name: 'Connect to GitHub' }).click();
  await page.getByRole('button', { name: 'Sync', exact: true }).click();
  await expect(page.getByTestId('forge-as-of')).not.toHaveText('as of never synced');

  await people.getByRole('row', { name: /Ada Lovelace/ }).click();
  const adaTimeline = page.getByRole('img', { name: /^Forge interaction per month by Ada Lovelace/ });
  await expect(adaTimeline).toHaveAttribute('aria-label', 'Forge interaction per month by Ada Lovelace, 2 months: 2026-02 1 answer; 2026-03 1 review, 1 review comment');
  await expect(adaTimeline.locator('.month-bar')).toHaveCount(2);
  await expect(page.getByRole('list', { name: 'Interaction kinds' })).toContainText('1 review comment');

  // quinn has no commits: opened an issue in January and one in March; February is an empty bar between them.
  await people.getByRole('row', { name: /@quinn/ }).click();
  const quinnTimeline = page.getByRole('img', { name: /^Forge interaction per month by quinn/ });
  await expect(quinnTimeline).toHaveAttribute('aria-label', 'Forge interaction per month by quinn, 2 months: 2026-01 1 issue opened; 2026-03 1 issue opened');
  await expect(quinnTimeline.locator('.month-bar')).toHaveCount(3);
  await expect(quinnTimeline.locator('.month-bar').nth(1)).toHaveAttribute('title', '2026-02: nothing');
  expect(await seriousViolations(page, '.contributor')).toEqual([]);
});
