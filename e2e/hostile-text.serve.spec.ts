// Untrusted text in the real renderer: an author name, email and commit subject written as HTML (and with terminal
// escapes) show as the literal text, never as markup, and no script in them runs.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { makeRepo, tempDir } from '../electron/core/testing/git-fixtures.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

let root: string;
let serve: ServeProcess | undefined;

test.beforeAll(() => {
  root = tempDir('mc-e2e-hostile-');
});
test.afterAll(async () => {
  await serve?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

// git strips < and > from author names, so the markup travels in the commit subject (and what is left in the name).
const MARKUP_SUBJECT = '<img src=x onerror="globalThis.__pwned=1"><b>bold</b><script>globalThis.__pwned=2</script>';
const NAME = 'Eve &lt;b&gt; & "Mallory" \'x\' z';

test('an HTML commit subject and author name render as text, never markup', async ({ page }) => {
  const repo = makeRepo(path.join(root, 'src', 'markup'), [
    { author: NAME, email: 'eve@x.org', message: `${MARKUP_SUBJECT}\x1b[2J`, files: { 'a.py': 'x\n' } },
  ]);
  serve = await startServe(path.join(root, 'home'));
  await page.goto(serve.url);
  await page.getByLabel('Add a project').getByRole('textbox').fill(repo);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'markup', level: 2 })).toBeVisible();

  await page.getByRole('tab', { name: 'Commits' }).click();
  const commits = page.getByRole('table', { name: 'Commits' });
  await expect(commits).toContainText(MARKUP_SUBJECT);
  await expect(commits.locator('img, b, script')).toHaveCount(0);

  await page.getByRole('tab', { name: 'Contributors' }).click();
  const people = page.getByRole('table', { name: 'Contributor impact' });
  await expect(people.getByRole('row', { name: /Eve/ })).toContainText(NAME);
  await expect(people.locator('img, b, script')).toHaveCount(0);
  // Nothing in them ran, and no element came out of them anywhere on the page.
  expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
});
