import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../../shared/catalog.js';
import { openDatabase, type Db } from '../store/database.js';
import { git, makeRepo, tempDir } from '../testing/git-fixtures.js';
import { CatalogService } from './catalog-service.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((f) => f()));

function temp(): string {
  const d = tempDir('mc-catalog-');
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

function openDb(home: string): Db {
  const db = openDatabase(path.join(home, 'modelcommons.db'));
  cleanups.push(() => db.close());
  return db;
}

const entry = (name: string, over: Partial<CatalogEntry> = {}): Partial<CatalogEntry> => ({
  name,
  url: `https://git.example/${name}.git`,
  description: `The ${name} project`,
  task: 'classification',
  tags: ['tabular'],
  license: 'MIT',
  ...over,
});

const catalogJson = (name: string, entries: unknown[]) => JSON.stringify({ name, entries }, null, 2) + '\n';

/** A catalog repository upstream, and a function that commits a new catalog.json to it. */
function upstreamCatalog(entries: unknown[], name = 'Lab models') {
  const dir = makeRepo(path.join(temp(), 'lab-catalog'), [
    { author: 'Ada', email: 'ada@example.org', message: 'Start the catalog', files: { 'catalog.json': catalogJson(name, entries), 'README.md': '# Lab\n' } },
  ]);
  const commit = (next: unknown[], message = 'Update the catalog') => {
    fs.writeFileSync(path.join(dir, 'catalog.json'), catalogJson(name, next));
    git(dir, ['add', '-A']);
    git(dir, ['-c', 'user.name=Bram', '-c', 'user.email=bram@example.org', 'commit', '-q', '-m', message]);
  };
  return { dir, url: pathToFileURL(dir).href, commit };
}

function service(home = temp(), bundledDir: string | null = null): { catalogs: CatalogService; home: string } {
  return { catalogs: new CatalogService(openDb(home), home, bundledDir), home };
}

describe('CatalogService: catalogs that are git repositories', () => {
  it('adds a catalog by file:// URL, searches it, and sees an upstream commit after a refresh', async () => {
    const upstream = upstreamCatalog([entry('iris'), entry('auto-mpg', { task: 'regression' })]);
    const { catalogs, home } = service();

    const info = await catalogs.addCatalog(upstream.url);
    expect(info).toMatchObject({ url: upstream.url, name: 'Lab models', entries: 2, error: null });
    expect(path.dirname(info.path)).toBe(path.join(home, 'catalogs'));
    expect(path.basename(info.path)).toMatch(/^lab-catalog-[0-9a-f]{8}$/);
    expect(fs.existsSync(path.join(info.path, 'catalog.json'))).toBe(true);
    expect(catalogs.listCatalogs()).toEqual([info]);

    const first = catalogs.search({ query: 'iris' });
    expect(first.hits.map((h) => [h.entry.name, h.catalog])).toEqual([['iris', { id: info.id, name: 'Lab models', bundled: false }]]);
    expect(first.skipped).toEqual([]);

    upstream.commit([entry('iris'), entry('auto-mpg', { task: 'regression' }), entry('mnist', { task: 'image', tags: ['images'] })]);
    expect(catalogs.search({ task: 'image' }).hits).toEqual([]);
    const refreshed = await catalogs.refreshCatalog(info.id);
    expect(refreshed).toMatchObject({ id: info.id, entries: 3, error: null });
    expect(catalogs.search({ task: 'image' }).hits.map((h) => h.entry.name)).toEqual(['mnist']);
    expect(git(info.path, ['rev-parse', 'HEAD'])).toBe(git(upstream.dir, ['rev-parse', 'HEAD']));
  });

  it('refuses a catalog.json whose entry 2 has no url, naming entries.1.url and the file, and keeps nothing', async () => {
    const bad = { ...entry('broken') };
    delete bad.url;
    const upstream = upstreamCatalog([entry('fine'), bad]);
    const { catalogs, home } = service();

    const error: unknown = await catalogs.addCatalog(upstream.url).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ kind: 'invalid-request' });
    expect((error as Error).message).toContain('entries.1.url');
    expect((error as Error).message).toContain(`catalog.json of ${upstream.url}`);
    expect(catalogs.listCatalogs()).toEqual([]);
    expect(fs.readdirSync(path.join(home, 'catalogs'))).toEqual([]);
  });

  it('keeps the last good catalog when a refresh brings an invalid one, and records why', async () => {
    const upstream = upstreamCatalog([entry('iris')]);
    const { catalogs } = service();
    const info = await catalogs.addCatalog(upstream.url);
    const goodHead = git(info.path, ['rev-parse', 'HEAD']);

    upstream.commit([entry('iris'), entry('bad', { task: 'poetry' as never })], 'Break the catalog');
    await expect(catalogs.refreshCatalog(info.id)).rejects.toThrow(/entries\.1\.task/);
    expect(catalogs.getCatalog(info.id).error).toMatch(/catalog\.json of .* is invalid: entries\.1\.task/);
    expect(git(info.path, ['rev-parse', 'HEAD'])).toBe(goodHead);
    expect(catalogs.search().hits.map((h) => h.entry.name)).toEqual(['iris']);

    upstream.commit([entry('iris'), entry('fixed')], 'Fix the catalog');
    expect(await catalogs.refreshCatalog(info.id)).toMatchObject({ error: null, entries: 2 });
    expect(catalogs.search().hits.map((h) => h.entry.name)).toEqual(['fixed', 'iris']);
  });

  it('refuses duplicates, bundled: URLs, repositories without catalog.json, and a catalog.json that is a link', async () => {
    const upstream = upstreamCatalog([entry('iris')]);
    const { catalogs } = service();
    await catalogs.addCatalog(upstream.url);
    await expect(catalogs.addCatalog(upstream.url)).rejects.toMatchObject({ kind: 'conflict' });
    await expect(catalogs.addCatalog('bundled:iris-classifier')).rejects.toMatchObject({ kind: 'invalid-request' });

    const plain = makeRepo(path.join(temp(), 'plain'), [{ author: 'A', email: 'a@example.org', message: 'x', files: { 'README.md': '# x\n' } }]);
    await expect(catalogs.addCatalog(pathToFileURL(plain).href)).rejects.toThrow(/catalog\.json of .* does not exist/);

    const secret = path.join(temp(), 'secret.json');
    fs.writeFileSync(secret, catalogJson('stolen', []));
    const linked = path.join(temp(), 'linked');
    makeRepo(linked, [{ author: 'A', email: 'a@example.org', message: 'x', files: { 'README.md': '# x\n' } }]);
    fs.symlinkSync(secret, path.join(linked, 'catalog.json'));
    git(linked, ['add', '-A']);
    git(linked, ['-c', 'user.name=A', '-c', 'user.email=a@example.org', 'commit', '-q', '-m', 'link']);
    await expect(catalogs.addCatalog(pathToFileURL(linked).href)).rejects.toThrow(/not a regular file/);
    expect(catalogs.listCatalogs()).toHaveLength(1);
  });

  it('removes a catalog (record, clone and hits), and a reopened store still has the others', async () => {
    const a = upstreamCatalog([entry('iris')], 'A');
    const b = upstreamCatalog([entry('mnist', { task: 'image' })], 'B');
    const home = temp();
    const { catalogs } = service(home);
    const infoA = await catalogs.addCatalog(a.url);
    const infoB = await catalogs.addCatalog(b.url);

    await catalogs.removeCatalog(infoA.id);
    expect(fs.existsSync(infoA.path)).toBe(false);
    expect(catalogs.listCatalogs().map((c) => c.id)).toEqual([infoB.id]);
    expect(catalogs.search().hits.map((h) => h.entry.name)).toEqual(['mnist']);
    await expect(catalogs.removeCatalog(infoA.id)).rejects.toMatchObject({ kind: 'not-found' });

    const reopened = new CatalogService(openDb(home), home, null);
    expect(reopened.listCatalogs()).toEqual([infoB]);
    expect(reopened.search({ query: 'mnist' }).hits.map((h) => h.catalog.name)).toEqual(['B']);
  });

  it('clones a catalog again on refresh when its folder has gone', async () => {
    const upstream = upstreamCatalog([entry('iris')]);
    const { catalogs } = service();
    const info = await catalogs.addCatalog(upstream.url);
    fs.rmSync(info.path, { recursive: true, force: true });
    upstream.commit([entry('iris'), entry('new-one')]);
    expect(await catalogs.refreshCatalog(info.id)).toMatchObject({ entries: 2, error: null });
    expect(fs.existsSync(path.join(info.path, 'catalog.json'))).toBe(true);
  });

  it('records a failed fetch on the catalog and keeps its entries searchable', async () => {
    const upstream = upstreamCatalog([entry('iris')]);
    const { catalogs } = service();
    const info = await catalogs.addCatalog(upstream.url);
    fs.rmSync(upstream.dir, { recursive: true, force: true });
    await expect(catalogs.refreshCatalog(info.id)).rejects.toMatchObject({ kind: 'git' });
    expect(catalogs.getCatalog(info.id).error).toMatch(/^Refreshing the catalog .* failed/);
    expect(catalogs.search().hits.map((h) => h.entry.name)).toEqual(['iris']);
  });
});

describe('CatalogService: the bundled catalog in search', () => {
  it('puts bundled entries first for a URL both list, and reports a bundled catalog it cannot read', async () => {
    const bundledDir = temp();
    fs.writeFileSync(
      path.join(bundledDir, 'catalog.json'),
      catalogJson('Examples', [entry('iris-classifier', { url: 'bundled:iris-classifier' }), entry('shared', { description: 'bundled copy' })]),
    );
    const upstream = upstreamCatalog([entry('shared', { description: 'lab copy' }), entry('lab-only')]);
    const { catalogs } = service(temp(), bundledDir);
    await catalogs.addCatalog(upstream.url);

    const { hits, skipped } = catalogs.search();
    expect(skipped).toEqual([]);
    expect(hits.map((h) => [h.entry.name, h.catalog.id])).toEqual([
      ['iris-classifier', 'bundled'],
      ['lab-only', expect.any(String)],
      ['shared', 'bundled'],
    ]);
    expect(hits.find((h) => h.entry.name === 'shared')!.entry.description).toBe('bundled copy');
    expect(catalogs.resolveCloneSource('https://git.example/x.git')).toBe('https://git.example/x.git');
    expect(() => catalogs.resolveCloneSource('bundled:../etc')).toThrow(/not a bundled project name/);

    const missing = new CatalogService(openDb(temp()), temp(), path.join(temp(), 'nowhere'));
    const result = missing.search();
    expect(result.hits).toEqual([]);
    expect(result.skipped).toEqual([{ catalogId: 'bundled', name: 'Bundled examples', error: expect.stringMatching(/catalog\.json .*does not exist/) }]);
  });

  it('rejects an invalid search query', () => {
    const { catalogs } = service();
    expect(() => catalogs.search({ task: 'poetry' as never })).toThrow(/Invalid catalog search: task/);
  });
});
