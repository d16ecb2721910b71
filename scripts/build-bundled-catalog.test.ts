import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogFile } from '../shared/catalog.js';
import { markdownExcerpt } from '../shared/markdown-excerpt.js';
import { readBundledCatalog, resolveBundledUrl } from '../electron/core/catalog/bundled-catalog.js';
import { cloneRepository } from '../electron/core/git/clone-repository.js';
import { git, tempDir } from '../electron/core/testing/git-fixtures.js';
import { BUNDLED_CATALOG_NAME, buildBundledCatalog } from './build-bundled-catalog.js';
import { EXAMPLES } from './examples.js';

let work: string;
let outDir: string;
let catalog: CatalogFile;

beforeAll(async () => {
  work = tempDir('mc-bundled-test-');
  outDir = path.join(work, 'bundled');
  catalog = await buildBundledCatalog(outDir);
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

const bareOf = (name: string) => path.join(outDir, 'examples', `${name}.git`);

describe('build-bundled-catalog', () => {
  it('writes catalog.json listing the three examples as bundled: entries, readable by readBundledCatalog', () => {
    expect(readBundledCatalog(outDir)).toEqual(catalog);
    expect(catalog.name).toBe(BUNDLED_CATALOG_NAME);
    expect(catalog.entries.map((e) => [e.name, e.url, e.task])).toEqual([
      ['iris-classifier', 'bundled:iris-classifier', 'classification'],
      ['auto-mpg-regression', 'bundled:auto-mpg-regression', 'regression'],
      ['mnist-digits', 'bundled:mnist-digits', 'image'],
    ]);
    expect(fs.readdirSync(path.join(outDir, 'examples')).sort()).toEqual(EXAMPLES.map((e) => `${e.name}.git`).sort());
  });

  it('makes bare repositories that git clones from, through resolveBundledUrl', async () => {
    for (const e of catalog.entries) {
      const bare = bareOf(e.name);
      expect(git(bare, ['rev-parse', '--is-bare-repository']).trim()).toBe('true');
      expect(git(bare, ['remote']).trim()).toBe(''); // nothing points at the temp folder it was built in
      const url = resolveBundledUrl(e.url, outDir);
      expect(url).toBe(pathToFileURL(bare).href);
      const clone = path.join(work, 'clones', e.name);
      await cloneRepository({ source: url, destination: clone });
      expect(git(clone, ['rev-parse', 'HEAD'])).toBe(git(bare, ['rev-parse', 'HEAD']));
      expect(fs.existsSync(path.join(clone, 'modelcommons.json'))).toBe(true);
      expect(git(clone, ['status', '--porcelain'])).toBe('');
    }
  });

  it('computes each card from its repository: README excerpt, manifest summary, last commit, contributors, size', () => {
    for (const e of catalog.entries) {
      const bare = bareOf(e.name);
      const [sha, date, subject] = git(bare, ['log', '-1', '--format=%H%n%aI%n%s']).trim().split('\n');
      expect(e.lastCommit).toEqual({ sha, date, subject });
      const people = git(bare, ['shortlog', '-sne', '--no-merges', 'HEAD']).trim().split('\n');
      expect(e.contributors).toBe(people.length);
      expect(e.contributors).toBeGreaterThanOrEqual(2);
      expect(e.readme).toBe(markdownExcerpt(git(bare, ['show', 'HEAD:README.md']), { maxChars: 2000 }));
      const spec = EXAMPLES.find((x) => x.name === e.name)!;
      expect(e.readme!.startsWith(`# ${spec.title}\n\n`)).toBe(true);
      expect(e.description).toBe(spec.manifest.description);
      const files = fs.readdirSync(bare, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
      expect(e.size).toBe(files.reduce((n, d) => n + fs.statSync(path.join(d.parentPath, d.name)).size, 0));
    }
    const byName = Object.fromEntries(catalog.entries.map((e) => [e.name, e]));
    expect(byName['iris-classifier']!.manifest).toEqual({ task: 'classification', model: 'dense 16 → dense 3', rows: 150 });
    expect(byName['auto-mpg-regression']!.manifest).toEqual({ task: 'regression', model: 'dense 32 → dense 16 → dense 1', rows: 392 });
    expect(byName['mnist-digits']!.manifest).toEqual({
      task: 'classification',
      model: 'reshape 28×28×1 → flatten → dense 128 → dense 10',
      rows: 2000,
    });
    expect(byName['mnist-digits']!.readme).toContain('`images/train/<digit>/`');
    expect(byName['auto-mpg-regression']!.license).toBe('MIT AND CC-BY-4.0');
  });

  it('is deterministic: a second build writes the same catalog.json and the same repositories', async () => {
    const again = path.join(work, 'again');
    await buildBundledCatalog(again);
    expect(fs.readFileSync(path.join(again, 'catalog.json'), 'utf8')).toBe(fs.readFileSync(path.join(outDir, 'catalog.json'), 'utf8'));
    const listing = (root: string) =>
      fs
        .readdirSync(path.join(root, 'examples'), { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => path.relative(root, path.join(d.parentPath, d.name)))
        .sort();
    expect(listing(again)).toEqual(listing(outDir));
  });

  it('resolveBundledUrl refuses names that leave the folder, and names it does not have', () => {
    for (const bad of ['bundled:../x', 'bundled:..', 'bundled:a/b', 'bundled:a\\b', 'bundled:', 'bundled:/etc/passwd']) {
      expect(() => resolveBundledUrl(bad, outDir), bad).toThrow(/not a bundled project name/);
    }
    expect(() => resolveBundledUrl('https://git.example/x.git', outDir)).toThrow(/not a bundled: URL/);
    expect(() => resolveBundledUrl('bundled:no-such-example', outDir)).toThrow(/No bundled project named "no-such-example"/);
  });
});
