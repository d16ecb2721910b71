// Connect a project to "GitHub" (a loopback server answering like its REST API) from the Contributors tab, sync,
// and see someone who only asks questions listed with their login and counts — clicked as a person would.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { emptyCommunity, startForgeApiServer, type ForgeApiServer } from '../electron/core/testing/forge-api-server.js';
import { makeRepo, tempDir } from '../electron/core/testing/git-fixtures.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

const TOKEN = 'ghp_enteredInTheBrowser77';
let root: string;
let serve: ServeProcess | undefined;
let forge: ForgeApiServer;

test.beforeAll(async () => {
  root = tempDir('mc-e2e-forge-');
  const c = emptyCommunity();
  c.issues.push({ number: 1, user: { login: 'quinn' }, updatedAt: '2026-03-01T00:00:00Z' }, { number: 2, user: { login: 'quinn' }, updatedAt: '2026-03-02T00:00:00Z' });
  c.comments.push({ id: 7, issue: 1, user: { login: 'ada' }, updatedAt: '2026-03-03T00:00:00Z' });
  c.commits.push({ sha: 's', login: 'ada', name: 'Ada Lovelace', email: 'ada@example.org', date: '2026-01-01T00:00:00Z' });
  forge = await startForgeApiServer(c);
});
test.afterAll(async () => {
  await serve?.stop();
  await forge.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('connect to GitHub, sync, and see questions and answers per person', async ({ page }) => {
  const repo = makeRepo(path.join(root, 'src', 'forged'), [{ author: 'Ada Lovelace', email: 'ada@example.org', message: 'model', files: { 'model.py': 'a\nb\n' } }]);
  const home = path.join(root, 'home');
  serve = await startServe(home);
  await page.goto(serve.url);
  await page.getByLabel('Add a project').getByRole('textbox').fill(repo);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'forged', level: 2 })).toBeVisible();
  await page.getByRole('tab', { name: 'Contributors' }).click();

  const people = page.getByRole('table', { name: 'Contributor impact' });
  await expect(people.getByRole('row', { name: /Ada Lovelace/ })).toBeVisible();
  expect(forge.requests).toHaveLength(0); // nothing fetched before Connect

  const form = page.getByRole('form', { name: 'Connect to GitHub or GitLab' });
  await form.getByLabel('Owner/repo').fill('octo/forged');
  await form.getByLabel('API URL').fill(forge.baseUrl);
  await form.getByLabel('Token (optional)').fill(TOKEN);
  await form.getByRole('button', { name: 'Connect to GitHub' }).click();
  await expect(page.getByTestId('forge-as-of')).toHaveText('as of never synced');
  await page.getByRole('button', { name: 'Sync', exact: true }).click();
  await expect(page.getByTestId('forge-as-of')).not.toHaveText('as of never synced');
  await expect(page.getByText(/rate limit: [\d,]+ of 5,000 left/)).toBeVisible();

  // quinn has no commits: listed by login, with the two issues opened.
  const quinn = people.getByRole('row', { name: /@quinn/ });
  await expect(quinn).toBeVisible();
  await quinn.click();
  await expect(page.getByTestId('contributor-interaction')).toContainText('2 issues opened');
  await people.getByRole('row', { name: /Ada Lovelace/ }).click();
  await expect(page.getByTestId('contributor-interaction')).toContainText('@ada');
  await expect(page.getByTestId('contributor-interaction')).toContainText('1 answers');

  expect(forge.requests.every((r) => r.auth === `token ${TOKEN}`)).toBe(true);
  expect(fs.readFileSync(path.join(home, 'modelcommons.db')).includes(TOKEN)).toBe(false);
});
