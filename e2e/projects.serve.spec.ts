// Projects, as a person meets them: browse the bundled catalog offline, search, clone from a card; clone over
// HTTP with a visible progress bar, cancel midway (nothing left), clone again; a new upstream commit shows
// "1 behind", and Pull brings it in.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { noise } from '../electron/core/testing/git-test-support.js';
import { git, makeTabularProject, tempDir } from '../electron/core/testing/git-fixtures.js';
import { serveRepository, startGitHttpServer, type GitHttpServer } from '../electron/core/testing/git-http-server.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

let root: string;
let serve: ServeProcess | undefined;
let gitServer: GitHttpServer | undefined;

test.beforeAll(() => {
  root = tempDir('mc-e2e-projects-');
});
test.afterAll(async () => {
  await serve?.stop();
  await gitServer?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('browse the bundled catalog offline, search, and clone from a card', async ({ page }) => {
  serve = await startServe(path.join(root, 'home-catalog'));
  await page.goto(serve.url);
  const cards = page.getByRole('list', { name: 'Catalog projects' }).getByRole('article');
  await expect(cards).toHaveCount(3);
  await page.getByRole('textbox', { name: 'License' }).fill('CC-BY-SA-3.0');
  await expect(cards).toHaveCount(1); // only mnist-digits carries that data license
  await page.getByRole('textbox', { name: 'License' }).fill('');
  await page.getByRole('spinbutton', { name: 'Largest size in MB' }).fill('0.1');
  await expect(cards).toHaveCount(2); // the two tabular examples are under 100 KB
  await page.getByRole('spinbutton', { name: 'Largest size in MB' }).fill('');
  await page.getByRole('searchbox', { name: 'Search projects' }).fill('iris');
  await expect(cards).toHaveCount(1);
  const iris = cards.first();
  await expect(iris.getByRole('heading', { name: 'iris-classifier' })).toBeVisible();
  await iris.locator('summary', { hasText: 'README' }).click();
  await expect(iris.locator('.readme')).toContainText(/iris/i);
  await iris.getByRole('button', { name: 'Clone iris-classifier' }).click();
  await expect(page.getByRole('heading', { name: 'iris-classifier', level: 2 })).toBeVisible();
  await expect(page.getByText(/iris-classifier · classification/)).toBeVisible();
  await expect(page.getByTestId('branch')).toHaveText('main');
  await serve.stop();
  serve = undefined;
});

test('clone over HTTP with progress, cancel midway leaves nothing, clone again, then 1 behind → Pull', async ({ page }) => {
  test.setTimeout(180_000);
  const source = makeTabularProject(path.join(root, 'src', 'weights'), 3);
  fs.writeFileSync(path.join(source, 'weights.bin'), noise(1_500_000, 7));
  git(source, ['add', 'weights.bin']);
  git(source, ['-c', 'user.name=Ada Lovelace', '-c', 'user.email=ada@example.org', 'commit', '-q', '-m', 'Add pretrained weights']);
  const served = path.join(root, 'served');
  fs.mkdirSync(served);
  const bare = await serveRepository(served, 'weights', source);
  // About 150 KB/s: the 1.5 MB pack takes ten seconds, time enough to watch it and to cancel.
  gitServer = await startGitHttpServer({ root: served, bytesPerSecond: 150_000, chunkBytes: 8192 });
  const url = gitServer.url('weights');

  const home = path.join(root, 'home-http');
  serve = await startServe(home);
  await page.goto(serve.url);
  const form = page.getByLabel('Add a project');
  // In a browser the destination is typed (no native dialog); empty means a new folder in the data folder.
  await form.getByText('Options').click();
  await expect(form.getByText(`Empty: a new folder under ${home}/projects.`)).toBeVisible();
  await expect(form.getByRole('button', { name: 'Choose folder…' })).toHaveCount(0);
  await form.getByText('Options').click();
  await form.getByRole('textbox').fill(url);
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  const bar = form.getByRole('progressbar');
  await expect(bar).toHaveAttribute('aria-label', /receiving \d+%/i);
  await form.getByRole('button', { name: 'Cancel clone' }).click();
  await expect(form.getByRole('alert')).toContainText(/cancelled/i);
  await expect(page.getByRole('list', { name: 'Projects on this machine' })).toHaveCount(0);
  expect(fs.readdirSync(path.join(home, 'projects'))).toEqual([]);

  // Again, to the end.
  await form.getByRole('textbox').fill(url);
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'weights', level: 2 })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('behind-ahead')).toHaveText('up to date');

  // Upstream moves on.
  fs.writeFileSync(path.join(source, 'NOTES.md'), 'A new note.\n');
  git(source, ['add', 'NOTES.md']);
  git(source, ['-c', 'user.name=Grace Hopper', '-c', 'user.email=grace@example.org', 'commit', '-q', '-m', 'Add notes']);
  git(source, ['push', '-q', bare, 'HEAD:main']);

  await page.getByRole('button', { name: 'Check for updates' }).click();
  await expect(page.getByTestId('behind-ahead')).toHaveText('1 behind');
  await page.getByRole('button', { name: 'Pull' }).click();
  await expect(page.getByRole('status')).toHaveText('Updated: 1 new commit');
  await expect(page.getByTestId('behind-ahead')).toHaveText('up to date');
  await page.getByRole('tab', { name: 'Commits' }).click();
  await expect(page.getByRole('table', { name: 'Commits' }).getByRole('row', { name: /Add notes/ })).toBeVisible();

  // Any commit can be looked at read-only, and the branch is one choice away.
  await page.getByRole('textbox', { name: 'Commit or tag' }).fill('HEAD~1');
  await page.getByRole('button', { name: 'Check out' }).click();
  await expect(page.getByRole('status')).toHaveText(/Checked out HEAD~1 \([0-9a-f]{8}\) read-only/);
  await expect(page.getByTestId('branch')).toHaveText(/^detached at [0-9a-f]{8}$/);
  await page.getByRole('combobox', { name: 'Branch' }).selectOption('main');
  await expect(page.getByTestId('branch')).toHaveText('main');
});
