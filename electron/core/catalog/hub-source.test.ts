import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubSearchResult } from '../../../shared/catalog.js';
import type { Project } from '../../../shared/contract.js';
import { createServices, type Services } from '../services.js';
import { openDatabase } from '../store/database.js';
import { closedPort, noise } from '../testing/git-test-support.js';
import { tempDir } from '../testing/git-fixtures.js';
import { makeLfsModelRepo, startHubApiServer, type FakeHubModel, type HubApiServer } from '../testing/hub-api-server.js';
import { HubSource } from './hub-source.js';

const TOKEN = 'hf_enteredByTheUser12345';
const root = tempDir('mc-hub-');
const weights = noise(120_000, 3);
let hub: HubApiServer;
let n = 0;

const models: FakeHubModel[] = [
  { id: 'keras-io/mnist-convnet', library: 'keras', downloads: 900, likes: 12, lastModified: '2025-03-01T10:00:00.000Z' },
  { id: 'keras-io/timeseries-anomaly', library: 'keras', downloads: 50, likes: 3 },
  { id: 'ada/iris-tfjs', library: 'tfjs', downloads: 70, likes: 1, tags: ['tabular'] },
  { id: 'someone/bert-base', library: 'transformers', downloads: 1_000_000, likes: 800 },
  ...Array.from({ length: 7 }, (_, i) => ({ id: `bulk/keras-model-${i}`, library: 'keras', downloads: i, likes: 0 })),
];

/** A fresh data folder with the Hub source pointed at the loopback Hub. */
function source(env: NodeJS.ProcessEnv = {}): { hub: HubSource; home: string } {
  const home = path.join(root, `home-${++n}`);
  fs.mkdirSync(home, { recursive: true });
  const db = openDatabase(path.join(home, 'modelcommons.db'));
  return { hub: new HubSource(db, { env: { HF_ENDPOINT: hub.baseUrl, ...env } }), home };
}

beforeAll(async () => {
  hub = await startHubApiServer(models, { pageSize: 4 });
  await hub.serveModel('keras-io/mnist-convnet', makeLfsModelRepo(path.join(root, 'src'), weights));
});

afterAll(async () => {
  await hub?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('the Hugging Face Hub source', () => {
  it('fetches nothing until the user turns it on, and remembers the choice across restarts', async () => {
    const { hub: off, home } = source();
    const before = hub.requests.length;
    expect(off.settings()).toMatchObject({ enabled: false, hubUrl: hub.baseUrl, token: 'none' });
    expect(await off.search({ library: 'keras' })).toEqual({ enabled: false, models: [], asOf: null, fromCache: false, error: null });
    expect(hub.requests.length).toBe(before);

    off.setEnabled(true);
    const again = new HubSource(openDatabase(path.join(home, 'modelcommons.db')), { env: { HF_ENDPOINT: hub.baseUrl } });
    expect(again.settings().enabled).toBe(true);
  });

  it('searches by library and text, most downloaded first, across Link-header pages', async () => {
    const { hub: on } = source();
    on.setEnabled(true);
    const start = hub.requests.length;
    const keras = await on.search({ library: 'keras' });
    expect(keras.error).toBeNull();
    expect(keras.models.map((m) => m.id)).toEqual([
      'keras-io/mnist-convnet',
      'keras-io/timeseries-anomaly',
      ...[6, 5, 4, 3, 2, 1, 0].map((i) => `bulk/keras-model-${i}`),
    ]);
    // 9 models at 4 a page: three requests, the later ones following the Link header's cursor.
    const pages = hub.requests.slice(start);
    expect(pages.map((r) => r.query.has('cursor'))).toEqual([false, true, true]);
    expect(pages[0]!.query.getAll('filter')).toEqual(['keras']);
    expect(pages.every((r) => r.auth === null)).toBe(true);

    expect(keras.models[0]).toEqual({
      id: 'keras-io/mnist-convnet',
      author: 'keras-io',
      downloads: 900,
      likes: 12,
      library: 'keras',
      lastModified: '2025-03-01T10:00:00.000Z',
      pageUrl: `${hub.baseUrl}/keras-io/mnist-convnet`,
      cloneUrl: `${hub.baseUrl}/keras-io/mnist-convnet`,
    });
    expect((await on.search({ library: 'keras', query: 'MNIST' })).models.map((m) => m.id)).toEqual(['keras-io/mnist-convnet']);
    expect((await on.search({ library: 'tfjs' })).models.map((m) => m.id)).toEqual(['ada/iris-tfjs']);
    expect((await on.search({ library: 'keras', limit: 2 })).models).toHaveLength(2);
  });

  it('shows the stored listing, as of when it was read, when the Hub rate-limits or is gone, in one line', async () => {
    const { hub: on } = source();
    on.setEnabled(true);
    const fresh = await on.search({ library: 'tfjs' });
    expect(fresh.fromCache).toBe(false);

    hub.failNext(429);
    const limited = await on.search({ library: 'tfjs' });
    expect(limited).toMatchObject({ enabled: true, fromCache: true, asOf: fresh.asOf, models: fresh.models });
    expect(limited.error).toBe('The Hugging Face Hub is rate-limiting requests from here (HTTP 429): try again later, or give a Hub token');

    hub.failNext(500);
    const never = await on.search({ query: 'nothing-stored-for-this' });
    expect(never.models).toEqual([]);
    expect(never.error).toMatch(/^The Hugging Face Hub answered HTTP 500: Server error 500$/);

    const gone = new HubSource(openDatabase(path.join(root, `gone-${++n}.db`)), { env: { HF_ENDPOINT: `http://127.0.0.1:${await closedPort()}` } });
    gone.setEnabled(true);
    const unreachable = await gone.search({ library: 'keras' });
    expect(unreachable.error).toMatch(/^The Hugging Face Hub at http:\/\/127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\)$/);
  });

  it('cancels a search under way, and a newer search replaces an older one', async () => {
    const { hub: on } = source();
    on.setEnabled(true);
    hub.setDelay(400);
    try {
      const first = on.search({ library: 'keras' });
      await new Promise((r) => setTimeout(r, 50));
      expect(on.cancel()).toBe(true);
      await expect(first).rejects.toThrow('The Hub search was cancelled');

      const older = on.search({ query: 'keras-io' });
      const newer = on.search({ query: 'ada' });
      await expect(older).rejects.toThrow('The Hub search was cancelled');
      expect((await newer).models.map((m) => m.id)).toEqual(['ada/iris-tfjs']);
    } finally {
      hub.setDelay(0);
    }
  });

  it('sends a token only when the user gives one, and never stores it', async () => {
    const { hub: on, home } = source();
    on.setEnabled(true);
    expect(() => on.setToken('not-a-token')).toThrow('A Hugging Face token starts with hf_');
    expect(on.setToken(TOKEN).token).toBe('entered');
    const start = hub.requests.length;
    await on.search({ library: 'tfjs' });
    expect(hub.requests.slice(start).map((r) => r.auth)).toEqual([`Bearer ${TOKEN}`]);
    expect(fs.readFileSync(path.join(home, 'modelcommons.db')).includes(TOKEN)).toBe(false);
    expect(on.setToken(null).token).toBe('none');

    const fromEnv = source({ HF_TOKEN: 'hf_fromTheEnvironment999' }).hub;
    expect(fromEnv.settings().token).toBe('environment');
  });

  it('refuses an HF_ENDPOINT that is not an http(s) URL, and a listed id that is not owner/name', async () => {
    expect(() => new HubSource(openDatabase(':memory:'), { env: { HF_ENDPOINT: 'file:///etc' } })).toThrow('HF_ENDPOINT must be an http(s) URL');
    hub.models.push({ id: '../../etc', library: 'keras', downloads: 10_000 });
    try {
      const { hub: on } = source();
      on.setEnabled(true);
      expect((await on.search({ library: 'keras' })).models.map((m) => m.id)).not.toContain('../../etc');
    } finally {
      hub.models.pop();
    }
  });
});

describe('cloning a Hub card', () => {
  let services: Services;
  beforeAll(() => {
    process.env.HF_ENDPOINT = hub.baseUrl;
    services = createServices({ home: path.join(root, 'clone-home'), version: 'test' });
  });
  afterAll(() => {
    services?.close();
    delete process.env.HF_ENDPOINT;
  });

  it('clones the model repository over git, LFS weights included, from the card through the contract', async () => {
    await services.dispatch('hub:setEnabled', { enabled: true });
    const found = await services.dispatch('hub:search', { library: 'keras', query: 'mnist' });
    expect(found.ok).toBe(true);
    const card = found.ok ? (found.value as HubSearchResult).models[0]! : null;
    expect(card?.id).toBe('keras-io/mnist-convnet');
    const added = await services.dispatch('projects:add', { source: card!.cloneUrl });
    expect(added.ok).toBe(true);
    const project = added.ok ? (added.value as Project) : null;
    expect(project).toMatchObject({ name: 'mnist-convnet', status: 'ready' });
    expect(fs.readFileSync(path.join(project!.path, 'model.keras')).equals(weights)).toBe(true);
  });
});
