// The Hugging Face Hub as a browse source, against a loopback server answering like the Hub's API and serving the
// model as a git repository: nothing fetched until the source is turned on, then search, see the card, clone it
// (LFS weights and all); after a restart the source is still on, and with the Hub rate-limiting, the stored listing.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../electron/core/testing/git-fixtures.js';
import { makeLfsModelRepo, startHubApiServer, type HubApiServer } from '../electron/core/testing/hub-api-server.js';
import { seriousViolations } from './support/axe.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

const weights = Buffer.from('pretend keras weights '.repeat(4000));
let root: string;
let hub: HubApiServer;
let serve: ServeProcess | undefined;

test.beforeAll(async () => {
  root = tempDir('mc-e2e-hub-');
  hub = await startHubApiServer([
    { id: 'keras-io/mnist-convnet', library: 'keras', downloads: 900, likes: 12, lastModified: '2025-03-01T10:00:00.000Z' },
    { id: 'keras-io/timeseries-anomaly', library: 'keras', downloads: 50, likes: 3 },
    { id: 'ada/iris-tfjs', library: 'tfjs', downloads: 70, likes: 1 },
  ]);
  await hub.serveModel('keras-io/mnist-convnet', makeLfsModelRepo(path.join(root, 'src'), weights));
  process.env.HF_ENDPOINT = hub.baseUrl;
});
test.afterAll(async () => {
  delete process.env.HF_ENDPOINT;
  await serve?.stop();
  await hub.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('turn the Hub source on, search, see the cards, clone one; still on after a restart, stored listing offline', async ({ page }) => {
  const home = path.join(root, 'home');
  serve = await startServe(home);
  await page.goto(serve.url);
  const section = page.getByRole('region', { name: 'Hugging Face Hub' });
  const toggle = section.getByRole('checkbox', { name: 'Search the Hugging Face Hub (online)' });
  await expect(toggle).not.toBeChecked();
  await expect(section.getByText(`nothing is sent to ${hub.baseUrl}`)).toBeVisible();
  expect(hub.requests).toHaveLength(0);

  await toggle.check();
  const cards = page.getByRole('list', { name: 'Hugging Face Hub models' }).getByRole('article');
  await expect(cards).toHaveCount(2); // keras is the library first shown
  await page.getByRole('searchbox', { name: 'Search projects' }).fill('mnist');
  await expect(cards).toHaveCount(1);
  const card = cards.first();
  await expect(card.getByRole('heading', { name: 'keras-io/mnist-convnet' })).toBeVisible();
  await expect(card).toContainText('Hugging Face Hub');
  await expect(card).toContainText('900 downloads · 12 likes');
  await expect(card.getByRole('link', { name: 'keras-io/mnist-convnet on the Hub' })).toHaveAttribute('href', `${hub.baseUrl}/keras-io/mnist-convnet`);
  await expect(page.getByTestId('hub-status')).toContainText('1 model as of');
  expect(await seriousViolations(page, '.catalog-hub')).toEqual([]);

  await section.getByRole('combobox', { name: 'Hub library' }).selectOption('tfjs');
  await page.getByRole('searchbox', { name: 'Search projects' }).fill('');
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('ada/iris-tfjs');
  await section.getByRole('combobox', { name: 'Hub library' }).selectOption('keras');
  await page.getByRole('searchbox', { name: 'Search projects' }).fill('mnist');
  await expect(cards).toHaveCount(1);

  await cards.first().getByRole('button', { name: 'Clone keras-io/mnist-convnet' }).click();
  await expect(page.getByRole('heading', { name: 'mnist-convnet', level: 2 })).toBeVisible();
  const cloned = fs.readdirSync(path.join(home, 'projects')).map((d) => path.join(home, 'projects', d, 'model.keras'));
  expect(cloned.some((f) => fs.existsSync(f) && fs.readFileSync(f).equals(weights))).toBe(true);

  // A restart keeps the source on; with the Hub refusing, the listing stored for that search is shown, as of then.
  await serve.stop();
  hub.failNext(429, 20);
  serve = await startServe(home);
  await page.goto(serve.url);
  await expect(page.getByRole('region', { name: 'Hugging Face Hub' }).getByRole('checkbox')).toBeChecked();
  await page.getByRole('searchbox', { name: 'Search projects' }).fill('mnist');
  await expect(page.getByTestId('hub-status')).toContainText('1 model as of');
  await expect(page.getByTestId('hub-status')).toContainText('(stored listing)');
  await expect(page.getByRole('region', { name: 'Hugging Face Hub' }).getByRole('alert')).toHaveText(
    'The Hugging Face Hub is rate-limiting requests from here (HTTP 429): try again later, or give a Hub token',
  );
  await expect(cards.first().getByRole('button', { name: 'Open' })).toBeVisible();
});
