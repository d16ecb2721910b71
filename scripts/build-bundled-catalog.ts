// Builds the catalog that ships with the app, offline: the example projects as bare repositories in
// <outDir>/examples/<name>.git and <outDir>/catalog.json with their card facts. The same bytes every run.
//   node --import tsx scripts/build-bundled-catalog.ts <outDir>
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLED_URL_PREFIX, CATALOG_FILE, CatalogFile, type CatalogEntry } from '../shared/catalog.js';
import { BUNDLED_EXAMPLES_DIR, bundledRepositoryPath } from '../electron/core/catalog/bundled-catalog.js';
import { computeCardFacts, folderSize } from '../electron/core/catalog/card-facts.js';
import { git, tempDir } from '../electron/core/testing/git-fixtures.js';
import type { ExampleSpec } from './examples.js';
import { EXAMPLES } from './examples.js';
import { makeExamples } from './make-examples.js';

export const BUNDLED_CATALOG_NAME = 'ModelCommons examples';

/** What the examples' READMEs say about their licenses, as SPDX expressions (manifest + README, then data). */
const LICENSES: Record<string, string> = {
  'iris-classifier': 'MIT',
  'auto-mpg-regression': 'MIT AND CC-BY-4.0',
  'mnist-digits': 'MIT AND CC-BY-SA-3.0',
};

const EXTRA_TAGS: Record<string, readonly string[]> = {
  'iris-classifier': ['flowers', 'dense'],
  'auto-mpg-regression': ['cars', 'dense'],
  'mnist-digits': ['digits', 'dense'],
};

/** Writes `<outDir>/examples/<name>.git` and `<outDir>/catalog.json` (replacing earlier ones) and returns the catalog. */
export async function buildBundledCatalog(outDir: string): Promise<CatalogFile> {
  const out = path.resolve(outDir);
  const work = tempDir('mc-bundled-');
  try {
    fs.rmSync(path.join(out, BUNDLED_EXAMPLES_DIR), { recursive: true, force: true });
    fs.rmSync(path.join(out, CATALOG_FILE), { force: true });
    fs.mkdirSync(path.join(out, BUNDLED_EXAMPLES_DIR), { recursive: true });
    const built = makeExamples(work);
    const entries: CatalogEntry[] = [];
    for (const example of built) {
      const spec = EXAMPLES.find((e) => e.name === example.name)!;
      const bare = bundledRepositoryPath(example.name, out);
      bareClone(example.dir, bare);
      entries.push(await entryFor(spec, bare));
    }
    const catalog = CatalogFile.parse({
      name: BUNDLED_CATALOG_NAME,
      description: 'Example projects that ship with ModelCommons: clone and train them without a network.',
      entries,
    });
    fs.writeFileSync(path.join(out, CATALOG_FILE), JSON.stringify(catalog, null, 2) + '\n');
    return catalog;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * `git clone --bare` that gives the same bytes every run: one pack written by one thread (the delta search of
 * several threads may differ between runs), no template files, and no remote pointing at the temp folder.
 */
function bareClone(source: string, destination: string): void {
  git(path.dirname(destination), ['-c', 'pack.threads=1', 'clone', '-q', '--bare', '--no-local', '--template=', source, destination]);
  git(destination, ['remote', 'remove', 'origin']);
}

async function entryFor(spec: ExampleSpec, bare: string): Promise<CatalogEntry> {
  const facts = await computeCardFacts(bare);
  const task = spec.data === 'images' ? 'image' : spec.task;
  return {
    name: spec.name,
    url: `${BUNDLED_URL_PREFIX}${spec.name}`,
    description: spec.manifest.description as string,
    task,
    tags: [...new Set(['example', spec.data, spec.task, ...(EXTRA_TAGS[spec.name] ?? [])])],
    license: LICENSES[spec.name] ?? 'MIT',
    size: folderSize(bare),
    ...facts,
  };
}

async function main(argv: string[]): Promise<number> {
  const outDir = argv[0];
  if (!outDir || argv.length > 1 || outDir.startsWith('-')) {
    process.stderr.write('usage: node --import tsx scripts/build-bundled-catalog.ts <outDir>\n');
    return 2;
  }
  try {
    const catalog = await buildBundledCatalog(outDir);
    for (const e of catalog.entries) process.stdout.write(`${e.name}\t${e.lastCommit?.sha ?? ''}\t${e.size ?? 0} bytes\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`build-bundled-catalog: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
