// The same slice in the desktop app (Playwright's Electron driver); the config includes this spec only where an
// Electron binary exists, and says so plainly where it does not.
import { _electron as electron, expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { makeTabularProject, tempDir } from '../electron/core/testing/git-fixtures.js';
import { electronBinary, electronSqliteBinding } from './support/electron-binary.js';

test('desktop app: add, contributors, train with a live curve, and the run survives a restart', async () => {
  const root = tempDir('mc-electron-');
  const repo = makeTabularProject(path.join(root, 'src', 'blobs'), 40);
  const binding = electronSqliteBinding();
  expect(fs.existsSync(binding), `run \`npm start\` once to build ${binding}`).toBe(true);
  const env = { ...process.env, MODELCOMMONS_HOME: path.join(root, 'home'), MODELCOMMONS_SQLITE_BINDING: binding } as Record<string, string>;
  const launch = () => electron.launch({ executablePath: electronBinary()!, args: ['.'], env });
  try {
    let app = await launch();
    let page = await app.firstWindow();
    // The renderer has no Node and sees only the bridge.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    // The desktop app offers the system's folder dialog for the clone destination.
    await page.getByLabel('Add a project').getByText('Options').click();
    await expect(page.getByRole('button', { name: 'Choose folder…' })).toBeVisible();
    await page.getByLabel('Add a project').getByText('Options').click();
    await page.getByLabel('Add a project').getByRole('textbox').fill(repo);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'blobs', level: 2 })).toBeVisible();
    await page.getByRole('tab', { name: 'Contributors' }).click();
    await expect(page.getByRole('row', { name: /Ada Lovelace.*2/ })).toBeVisible();
    await page.getByRole('tab', { name: 'Training' }).click();
    await page.getByRole('button', { name: 'Train' }).click();
    await expect(page.getByTestId('epoch-line')).toContainText(/Epoch \d+\/40/);
    await expect(page.getByRole('table', { name: 'Test metrics' })).toBeVisible({ timeout: 90_000 });
    await app.close();

    app = await launch();
    page = await app.firstWindow();
    await page.getByRole('button', { name: /blobs\s*ready/ }).click();
    await expect(page.getByRole('table', { name: 'Runs' }).getByRole('row', { name: /succeeded/ })).toHaveCount(1);
    await app.close();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('desktop app: a WebGL run trains in the hidden trainer window, not the visible one, and its model comes back', async () => {
  const root = tempDir('mc-electron-gpu-');
  const repo = makeTabularProject(path.join(root, 'src', 'blobs'), 6);
  const env = { ...process.env, MODELCOMMONS_HOME: path.join(root, 'home'), MODELCOMMONS_SQLITE_BINDING: electronSqliteBinding() } as Record<string, string>;
  const app = await electron.launch({ executablePath: electronBinary()!, args: ['.'], env });
  try {
    const page = await app.firstWindow();
    await page.getByLabel('Add a project').getByRole('textbox').fill(repo);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('tab', { name: 'Training' }).click();
    await page.getByRole('combobox', { name: 'Backend' }).selectOption('webgl');
    await page.getByRole('button', { name: 'Train' }).click();
    const metrics = page.getByRole('table', { name: 'Test metrics' });
    await expect(metrics).toBeVisible({ timeout: 120_000 });
    await expect(metrics.getByRole('caption')).toContainText('webgl');
    // Two windows: the app's, and the hidden trainer that ran the job.
    const windows = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => ({ url: w.webContents.getURL(), visible: w.isVisible() })));
    expect(windows).toEqual(expect.arrayContaining([{ url: 'modelcommons://app/trainer.html', visible: false }]));
    const saved = (await page.getByText(/model saved in/).locator('.mono').last().textContent())!;
    expect(fs.existsSync(path.join(saved, 'model.json')) && fs.existsSync(path.join(saved, 'weights.bin'))).toBe(true);
  } finally {
    await app.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
