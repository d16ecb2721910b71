// The fuzzers of untrusted project files, in CI: 2,000 cases each (bench/fuzz.ts runs 100,000). Zero crashes:
// every input parses or raises the app's own one-line AppError.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogProperty, manifestProperty, parsesOrAppError, tabularDataProperty, topologyProperty } from './testing/fuzz-properties.js';
import { tempDir } from './testing/git-fixtures.js';
import { loadManifest } from './training/load-manifest.js';
import { planTopology } from './training/model-sources/topology.js';
import { tabularManifest } from './testing/git-fixtures.js';

const root = tempDir('mc-fuzz-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const sequential = JSON.parse(
  fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'training/model-sources/fixtures/sequential-dense.json'), 'utf8'),
) as unknown;
// A fixed seed: a failure names its case, and a rerun finds it again.
const runs = (numRuns: number) => ({ numRuns, seed: 19 });

describe('fuzzing the readers of untrusted files', () => {
  it('2,000 manifests: zero crashes', async () => {
    const dir = path.join(root, 'manifest');
    fs.mkdirSync(dir);
    await fc.assert(manifestProperty(dir), runs(2000));
  });

  it('2,000 catalog.json files: zero crashes', async () => {
    await fc.assert(catalogProperty(), runs(2000));
  });

  it('2,000 Keras topologies: zero crashes', async () => {
    await fc.assert(topologyProperty(sequential), runs(2000));
  });

  it('1,000 CSV, TSV and JSONL data files: zero crashes', async () => {
    const dir = path.join(root, 'tabular');
    fs.mkdirSync(dir);
    await fc.assert(tabularDataProperty(dir), runs(1000));
  });
});

describe('inputs that broke before', () => {
  it('a manifest saved with a UTF-8 byte-order mark loads', () => {
    const dir = path.join(root, 'bom');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'modelcommons.json'), '\uFEFF' + JSON.stringify(tabularManifest(2)));
    expect(loadManifest(dir).training.epochs).toBe(2);
  });

  it('a Keras topology nested 100,000 deep is refused with a depth error, not a stack overflow', async () => {
    const deep = JSON.parse(`{"class_name":"Sequential","config":{"layers":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}}`) as unknown;
    expect(() => planTopology(deep, 'model.keras "deep.json"', 4, 3, 'classification')).toThrow(/^model\.keras "deep\.json": the topology is nested more than 64 levels deep$/);
    await parsesOrAppError(() => planTopology(deep, 'x', 4, 3, 'classification'));
  });
});
