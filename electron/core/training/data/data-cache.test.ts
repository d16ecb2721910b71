// The per-blob data cache: a rerun reads the cached file instead of loading, a changed file or data section loads
// again, a damaged cache file is a miss, the folder stays within its bound, and a training job uses it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Manifest } from '../../../../shared/manifest.js';
import { dataCacheSettings } from '../../data-home.js';
import { tempDir } from '../../testing/git-fixtures.js';
import { trainModel } from '../train-model.js';
import { decodeRecord, encodeRecord } from './binary-record.js';
import { dataCacheKey, loadThroughCache } from './data-cache.js';
import { loadTabularData } from './index.js';

const root = tempDir();
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let made = 0;

/** A project folder with a small classification CSV (`rows` rows, two numeric features and a category). */
function project(rows = 60): string {
  const dir = path.join(root, `project-${made++}`);
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  const lines = ['a,b,color,label'];
  for (let i = 0; i < rows; i++) lines.push(`${i * 0.5},${(i * 7) % 11},${['red', 'green', 'blue'][i % 3]},${i % 2 ? 'yes' : 'no'}`);
  fs.writeFileSync(path.join(dir, 'data', 'train.csv'), lines.join('\n') + '\n');
  return dir;
}

function manifest(data: Record<string, unknown> = {}): Manifest {
  return Manifest.parse({
    name: 'cached',
    task: 'classification',
    data: { train: 'data/train.csv', label: 'label', split: { test: 0.2, validation: 0.2, seed: 3 }, ...data },
    model: { layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 2, activation: 'softmax' }] },
    training: { epochs: 2, batchSize: 16, seed: 5 },
  });
}

/** `loadTabularData`, counting its calls. */
function countingLoader(repo: string, m: Manifest) {
  const loader = { calls: 0, load: () => (loader.calls++, loadTabularData(repo, m)) };
  return loader;
}

function cacheFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.bin')) : [];
}

describe('loadThroughCache', () => {
  it('loads once, then answers a rerun from the cache file with the same data, every field kept', async () => {
    const repo = project();
    const cache = { dir: path.join(root, 'cache-rerun') };
    const m = manifest();
    const loader = countingLoader(repo, m);
    const first = await loadThroughCache(cache, repo, m, loader.load);
    expect(first.cache).toBe('miss');
    expect(cacheFiles(cache.dir)).toHaveLength(1);
    const second = await loadThroughCache(cache, repo, m, loader.load);
    expect(second.cache).toBe('hit');
    expect(loader.calls).toBe(1);
    expect(second.data).toEqual(first.data);
    expect(second.data.xTrain).toBeInstanceOf(Float32Array);
    expect(Object.keys(second.data).sort()).toEqual(Object.keys(first.data).sort());
  });

  it('loads again when the data file or the data section changes, and keeps both versions', async () => {
    const repo = project();
    const cache = { dir: path.join(root, 'cache-invalidate') };
    const standard = manifest();
    const minmax = manifest({ normalize: 'minmax' });
    const loader = countingLoader(repo, standard);
    await loadThroughCache(cache, repo, standard, loader.load);

    const csv = path.join(repo, 'data', 'train.csv');
    const original = fs.readFileSync(csv, 'utf8');
    fs.writeFileSync(csv, original.replace('0.5,7,green,yes', '0.5,8,green,yes')); // same size, one byte differs
    const edited = await loadThroughCache(cache, repo, standard, countingLoader(repo, standard).load);
    expect(edited.cache).toBe('miss');

    const otherSection = await loadThroughCache(cache, repo, minmax, () => loadTabularData(repo, minmax));
    expect(otherSection.cache).toBe('miss');
    expect(otherSection.data.normalization.kind).toBe('minmax');

    fs.writeFileSync(csv, original);
    const back = await loadThroughCache(cache, repo, standard, loader.load);
    expect(back.cache).toBe('hit');
    expect(loader.calls).toBe(1);
    expect(cacheFiles(cache.dir)).toHaveLength(3);
  });

  it('treats a truncated, damaged or foreign cache file as a miss and replaces it', async () => {
    const repo = project();
    const cache = { dir: path.join(root, 'cache-corrupt') };
    const m = manifest();
    const file = path.join(cache.dir, `${await dataCacheKey(repo, m)}.bin`);
    const good = (await loadThroughCache(cache, repo, m, () => loadTabularData(repo, m))).data;
    const bytes = fs.readFileSync(file);
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 5]! ^= 0x40; // inside the last array
    for (const bad of [bytes.subarray(0, bytes.length - 8), damaged, Buffer.from('not a cache file'), Buffer.alloc(0)]) {
      fs.writeFileSync(file, bad);
      const loader = countingLoader(repo, m);
      const again = await loadThroughCache(cache, repo, m, loader.load);
      expect(again.cache).toBe('miss');
      expect(loader.calls).toBe(1);
      expect(again.data).toEqual(good);
      expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    }
  });

  it('keeps the folder within its bound, dropping the least recently used file first', async () => {
    const repo = project();
    const dir = path.join(root, 'cache-bound');
    const sections = [manifest({ normalize: 'none' }), manifest({ normalize: 'minmax' }), manifest({ normalize: 'standard' })];
    await loadThroughCache({ dir }, repo, sections[0]!, () => loadTabularData(repo, sections[0]!));
    const oneFile = fs.statSync(path.join(dir, cacheFiles(dir)[0]!)).size;
    const settings = { dir, maxBytes: Math.floor(oneFile * 2.5) };
    await loadThroughCache(settings, repo, sections[1]!, () => loadTabularData(repo, sections[1]!));
    // Make the first file the older one, then use it: the hit makes the second the least recently used.
    const past = new Date(Date.now() - 60_000);
    for (const name of cacheFiles(dir)) fs.utimesSync(path.join(dir, name), past, past);
    expect((await loadThroughCache(settings, repo, sections[0]!, () => loadTabularData(repo, sections[0]!))).cache).toBe('hit');
    await loadThroughCache(settings, repo, sections[2]!, () => loadTabularData(repo, sections[2]!));
    expect(cacheFiles(dir)).toHaveLength(2);
    expect((await loadThroughCache(settings, repo, sections[0]!, () => loadTabularData(repo, sections[0]!))).cache).toBe('hit');
    expect((await loadThroughCache(settings, repo, sections[1]!, () => loadTabularData(repo, sections[1]!))).cache).toBe('miss');
  });

  it('is off with a bound of 0 and for a data path outside the project (the loader then says why)', async () => {
    const repo = project();
    const m = manifest();
    expect((await loadThroughCache({ dir: path.join(root, 'cache-off'), maxBytes: 0 }, repo, m, () => loadTabularData(repo, m))).cache).toBe('off');
    expect(fs.existsSync(path.join(root, 'cache-off'))).toBe(false);
    const escaping = manifest({ train: '../outside.csv' });
    await expect(loadThroughCache({ dir: path.join(root, 'cache-off') }, repo, escaping, () => loadTabularData(repo, escaping))).rejects.toThrow(
      /escapes the project folder/,
    );
  });
});

describe('the data cache setting', () => {
  it('lives in the data folder, bounded by MODELCOMMONS_DATA_CACHE_BYTES when set, and names a bad value', () => {
    expect(dataCacheSettings('/home/u/mc', {})).toEqual({ dir: path.join('/home/u/mc', 'data-cache') });
    expect(dataCacheSettings('/home/u/mc', { MODELCOMMONS_DATA_CACHE_BYTES: '0' }).maxBytes).toBe(0);
    expect(() => dataCacheSettings('/home/u/mc', { MODELCOMMONS_DATA_CACHE_BYTES: '2GB' })).toThrow(/MODELCOMMONS_DATA_CACHE_BYTES .*"2GB"/);
  });
});

describe('the binary record', () => {
  it('round-trips typed arrays at any depth, fields it does not know, and numbers JSON cannot hold', () => {
    const value = {
      xTrain: Float32Array.from([1.5, -2, 3]),
      labels: ['a', 'b'],
      nested: { ids: Int32Array.from([7, -8]), bytes: Uint8Array.from([1, 2, 3, 4, 5]), list: [Float64Array.from([Math.PI])] },
      warnings: ['constant column "z"'],
      offset: [Number.NaN, Number.POSITIVE_INFINITY, 0],
      nothing: null,
    };
    const { pieces, bytes } = encodeRecord(value, 9);
    const file = Buffer.concat(pieces);
    expect(file.length).toBe(bytes);
    expect(decodeRecord(file, 9)).toEqual(value);
    expect(decodeRecord(file, 10)).toBeNull();
  });
});

describe('a training job with a data cache', () => {
  it('writes the cache on the first run and reads it on the second, with the same result', async () => {
    const repo = project(120);
    const dataCache = { dir: path.join(root, 'cache-job') };
    const job = { repoDir: repo, manifest: manifest(), backend: 'cpu' as const, dataCache };
    const first = await trainModel(job, () => {});
    const [name] = cacheFiles(dataCache.dir);
    expect(name).toBeDefined();
    const file = path.join(dataCache.dir, name!);
    const past = new Date(Date.now() - 3_600_000);
    fs.utimesSync(file, past, past);
    const second = await trainModel(job, () => {});
    expect(fs.statSync(file).mtimeMs).toBeGreaterThan(past.getTime() + 1000); // a hit marks the file as just used
    expect(second.metrics).toEqual(first.metrics);
    expect(second.split).toEqual(first.split);
  });
});
