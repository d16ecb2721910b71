// What the UI promises a person, in Chromium against `serve`: every view passes axe-core (no serious or critical
// violation, light and dark), the keyboard reaches the content at once and focus follows Add, a reload or Back lands on
// the same project and tab, the score weights hold across projects and reloads, and a failed clone can be retried
// from its page without the view hanging on "Loading…".
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { makeTabularProject, tempDir } from '../electron/core/testing/git-fixtures.js';
import { addProject } from './support/add-project.js';
import { seriousViolations } from './support/axe.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

let root: string;
let serve: ServeProcess;
let repo: string;

test.beforeAll(async () => {
  root = tempDir('mc-e2e-ui-');
  repo = makeTabularProject(path.join(root, 'src', 'blobs'), 2, 60);
  serve = await startServe(path.join(root, 'home'));
});
test.afterAll(async () => {
  await serve.stop();
  fs.rmSync(root, { recursive: true, force: true });
});



test('every view passes axe-core in dark and light mode; keyboard reaches the content; focus follows Add', async ({ page }) => {
  await page.goto(serve.url);
  await expect(page.getByRole('list', { name: 'Catalog projects' }).getByRole('article')).toHaveCount(3);

  // The first Tab is the skip link, and it lands on the content.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main-content')).toBeFocused();

  await addProject(page, repo);
  // Focus moved to the new project's title, not back to <body>.
  await expect(page.getByRole('heading', { name: 'blobs', level: 2 })).toBeFocused();

  const views: [string, () => Promise<void>][] = [
    ['browse', async () => {
      await page.getByRole('button', { name: 'Browse catalog' }).click();
      await expect(page.getByRole('list', { name: 'Catalog projects' }).getByRole('article')).toHaveCount(3);
    }],
    ['training', async () => {
      await page.getByRole('button', { name: /^blobs/ }).click();
      await page.getByRole('tab', { name: 'Training' }).click();
      await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeVisible();
    }],
    ['commits', async () => {
      await page.getByRole('tab', { name: 'Commits' }).click();
      await expect(page.getByRole('tabpanel')).toContainText(/commit/i);
    }],
    ['contributors', async () => {
      await page.getByRole('tab', { name: 'Contributors' }).click();
      await expect(page.getByRole('row', { name: /Ada Lovelace/ })).toBeVisible();
    }],
  ];
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, show] of views) {
      await show();
      expect(await seriousViolations(page), `${name}, ${scheme} mode`).toEqual([]);
    }
  }
});

test('a reload or Back lands on the same project and tab; weights hold across projects and reloads', async ({ page }) => {
  await page.goto(serve.url);
  await page.getByRole('button', { name: /^blobs/ }).click();
  await page.getByRole('tab', { name: 'Commits' }).click();
  await page.getByRole('tab', { name: 'Contributors' }).click();
  await expect(page).toHaveURL(/#\/project\/[^/]+\/contributors$/);

  await page.reload();
  await expect(page.getByRole('heading', { name: 'blobs', level: 2 })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Contributors' })).toHaveAttribute('aria-selected', 'true');
  await page.goBack();
  await expect(page.getByRole('tab', { name: 'Commits' })).toHaveAttribute('aria-selected', 'true');
  await page.goForward();

  const alpha = page.getByRole('slider', { name: 'α code' });
  await alpha.focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft'); // 0.60 → 0.40
  await expect(alpha).toHaveValue('0.4');
  await page.getByRole('button', { name: 'Browse catalog' }).click();
  await page.getByRole('button', { name: /^blobs/ }).click();
  await page.getByRole('tab', { name: 'Contributors' }).click();
  await expect(page.getByRole('slider', { name: 'α code' })).toHaveValue('0.4');
  await page.reload();
  await expect(page.getByRole('slider', { name: 'α code' })).toHaveValue('0.4');
});

test('a nonsense source gets a one-line error, not a folder of the server', async ({ page }) => {
  await page.goto(serve.url);
  const form = page.getByLabel('Add a project');
  await form.getByRole('textbox').first().fill('htp://not a url!!');
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(form.getByRole('alert')).toHaveText('"htp://not a url!!": htp:// is not a git URL scheme; use https://, ssh://, git:// or file://');
  await form.getByRole('textbox').first().fill('some/relative/folder');
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(form.getByRole('alert')).toContainText('nor an absolute folder path');
  await expect(page.getByRole('list', { name: 'Projects on this machine' }).getByRole('button', { name: /htp|folder/ })).toHaveCount(0);
});

test('a failed clone is retried from its page, and the page follows the new attempt', async ({ page }) => {
  // A loopback port with nothing listening: the clone fails at once, every time.
  const port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(p));
    });
  });
  const url = `http://127.0.0.1:${port}/gone.git`;
  await page.goto(serve.url);
  const form = page.getByLabel('Add a project');
  await form.getByRole('textbox').first().fill(url);
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(form.getByRole('alert')).toBeVisible();
  await page.getByRole('button', { name: /^gone\s*failed/ }).click();
  await expect(page.getByRole('heading', { name: 'gone', level: 2 })).toBeVisible();
  const firstUrl = page.url();

  await page.getByRole('button', { name: 'Retry clone' }).click();
  // The retry is a new record with a new id: the view follows it instead of hanging on "Loading…".
  await expect(page).not.toHaveURL(firstUrl);
  await expect(page.getByRole('heading', { name: 'gone', level: 2 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Retry clone' })).toBeEnabled();
  await expect(page.getByText('Loading…')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^gone/ })).toHaveCount(1);
});
