// Each kind of bad input a community project can hold: a clear one-line error, a non-zero exit, no success stored.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { blobsCsv, makeRepo, tabularManifest, tempDir } from '../testing/git-fixtures.js';

const cliSource = fileURLToPath(new URL('../../cli/cli.ts', import.meta.url));
const root = tempDir('mc-bad-');
const home = path.join(root, 'home');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cliSource, ...args], {
    env: { ...process.env, MODELCOMMONS_HOME: home },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

let counter = 0;
/** Makes a project from files, clones it, trains it, and returns what the CLI said plus the stored runs. */
function trainProject(files: Record<string, string>) {
  const name = `bad${++counter}`;
  const repo = makeRepo(path.join(root, 'src', name), [{ author: 'A', email: 'a@x.org', message: 'm', files }]);
  const cloned = cli('clone', repo, '--json');
  expect(cloned.code, cloned.stderr).toBe(0);
  const trained = cli('train', name, '--json', '--backend', 'cpu');
  const runs = JSON.parse(cli('projects', '--json').stdout) as unknown[];
  return { ...trained, projects: runs.length };
}

const manifest = (patch: (m: ReturnType<typeof tabularManifest>) => unknown) =>
  JSON.stringify(patch(JSON.parse(JSON.stringify(tabularManifest(2)))), null, 2);
const csv = blobsCsv(60, 4, 3, 1);

function expectOneLineFailure(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp) {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  // Progress lines may come first; the error is one line, the last.
  const lines = r.stderr.split('\n');
  expect(lines.filter((l) => l.startsWith('modelcommons:'))).toHaveLength(1);
  expect(lines.at(-1)).toMatch(/^modelcommons: /);
  expect(lines.at(-1)).toMatch(pattern);
}

describe('bad input', () => {
  it('no manifest', () => {
    expectOneLineFailure(trainProject({ 'data/train.csv': csv }), /has no modelcommons\.json/);
  });

  it('invalid JSON, with line and column', () => {
    const broken = '{\n  "name": "x",\n  "task": "classification"\n  "data": {}\n}\n';
    expectOneLineFailure(trainProject({ 'modelcommons.json': broken, 'data/train.csv': csv }), /modelcommons\.json: invalid JSON at line 4, column 3/);
  });

  it('a key with a wrong value is named', () => {
    const m = manifest((m) => ({ ...m, training: { ...m.training, epochs: -3 } }));
    expectOneLineFailure(trainProject({ 'modelcommons.json': m, 'data/train.csv': csv }), /"training\.epochs": /);
  });

  it('an unknown layer type is named', () => {
    const m = manifest((m) => ({ ...m, model: { layers: [{ type: 'transformer' }] } }));
    expectOneLineFailure(trainProject({ 'modelcommons.json': m, 'data/train.csv': csv }), /Unknown layer type "transformer"/);
  });

  it('a missing label column is named', () => {
    const m = manifest((m) => ({ ...m, data: { ...m.data, label: 'species' } }));
    expectOneLineFailure(trainProject({ 'modelcommons.json': m, 'data/train.csv': csv }), /species/);
  });

  it('a non-numeric value in a numeric column names file, line and column', () => {
    const m = manifest((m) => ({ ...m, task: 'regression', data: { ...m.data, label: 'f0' }, model: { layers: [{ type: 'dense', units: 1 }] }, metrics: { primary: 'r2' } }));
    const lines = csv.split('\n');
    lines[5] = lines[5]!.replace(/^[^,]+/, 'oops');
    expectOneLineFailure(trainProject({ 'modelcommons.json': m, 'data/train.csv': lines.join('\n') }), /data\/train\.csv.*line 6.*"f0"/);
  });

  it('one non-numeric cell in a numeric feature column names file, line and column', () => {
    const lines = csv.split('\n');
    lines[9] = lines[9]!.replace(/^([^,]+),([^,]+)/, '$1,abc');
    expectOneLineFailure(
      trainProject({ 'modelcommons.json': manifest((m) => m), 'data/train.csv': lines.join('\n') }),
      /data\/train\.csv line 10, column "f1": "abc" is not a number, but 59 of the column's 60 values \(98\.3 %\) are/,
    );
  });

  it('a constant column trains, with a warning on stderr and in the --json run', () => {
    const constant = csv.replace(/^f0,/, 'flat,f0,').replace(/\n(?=.)/g, '\n7,');
    const r = trainProject({ 'modelcommons.json': manifest((m) => m), 'data/train.csv': constant });
    expect(r.code, r.stderr).toBe(0);
    const warning = 'Column "flat" of data/train.csv has the same value ("7") in every training row, so it cannot help the model; leave it out with data.features';
    expect(r.stderr).toContain(`warning: ${warning}`);
    const run = JSON.parse(r.stdout) as { warnings: string[]; split: { train: number; validation: number; test: number }; bestEpoch: number };
    expect(run.warnings).toEqual([warning]);
    expect(run.split).toEqual({ train: 40, validation: 5, test: 15 });
    expect(run.bestEpoch).toBeGreaterThan(0);
  });

  it('a data path that escapes the repository is refused', () => {
    const m = manifest((m) => ({ ...m, data: { ...m.data, train: '../../../etc/passwd' } }));
    expectOneLineFailure(trainProject({ 'modelcommons.json': m, 'data/train.csv': csv }), /escapes the project folder/);
  });

  it('an empty split is refused', () => {
    const m = manifest((m) => ({ ...m, data: { ...m.data, test: 'data/test.csv' } }));
    expectOneLineFailure(trainProject({ 'modelcommons.json': m, 'data/train.csv': csv, 'data/test.csv': 'f0,f1,f2,f3,label\n' }), /data\/test\.csv has no data rows/);
  });

  it('an absurd model is refused with the numbers', () => {
    const m = manifest((m) => ({ ...m, model: { layers: [{ type: 'dense', units: 20000 }, { type: 'dense', units: 20000 }, { type: 'dense', units: 3 }] } }));
    expectOneLineFailure(trainProject({ 'modelcommons.json': m, 'data/train.csv': csv }), /400,1\d\d,\d{3} parameters; the limit is 50,000,000/);
  });

  it('a NaN loss stops the run and says what to do', () => {
    const m = manifest((m) => ({ ...m, task: 'regression', data: { ...m.data, label: 'f0', normalize: 'none' }, model: { layers: [{ type: 'dense', units: 1 }] }, training: { ...m.training, optimizer: 'sgd', learningRate: 1e6 }, metrics: { primary: 'r2' } }));
    expectOneLineFailure(trainProject({ 'modelcommons.json': m, 'data/train.csv': csv }), /loss became (NaN|Infinity) at epoch \d+: lower training\.learningRate/);
  });
});
