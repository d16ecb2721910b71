// The runs commands end to end through the real CLI: two real trainings of a small tabular project, then runs
// --json/--csv, compare (deltas, --diff), export (quantized model loaded by tfjs, TensorBoard file), delete, remove.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, makeTabularProject, tempDir } from '../core/testing/git-fixtures.js';

const cliSource = fileURLToPath(new URL('./cli.ts', import.meta.url));
const home = tempDir('mc-runs-home-');
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cliSource, ...args], { env: { ...process.env, MODELCOMMONS_HOME: home }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json<T>(...args: string[]): T {
  const r = cli(...args);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

interface RunSummary {
  id: string;
  status: string;
  commit: string;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  backend: string;
  startedAt: string;
  seconds: number;
  manifestHash: string;
  dataHash: string;
  seed: number;
}

let first: string;
let second: string;

beforeAll(() => {
  expect(cli('clone', makeTabularProject(path.join(home, 'src', 'blobs'), 3, 120)).code).toBe(0);
  first = json<{ runId: string }>('train', 'blobs', '--json', '--backend', 'cpu', '--epochs', '2').runId;
  second = json<{ runId: string }>('train', 'blobs', '--json', '--backend', 'cpu', '--epochs', '4').runId;
}, 120_000);

describe('modelcommons runs / compare / export / remove', () => {
  it('runs --json gives each run its id, status, commit, params, metrics, backend, startedAt, seconds and key', () => {
    const runs = json<RunSummary[]>('runs', 'blobs', '--json');
    expect(runs.map((r) => r.id)).toEqual([second, first]); // newest first
    for (const r of runs) {
      expect(r).toMatchObject({ status: 'succeeded', backend: 'cpu', seed: 7 });
      expect(r.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(r.params).toMatchObject({ batchSize: 16, optimizer: 'adam', seed: 7, loss: 'crossentropy' });
      expect(r.metrics.accuracy).toBeGreaterThanOrEqual(0);
      expect(Date.parse(r.startedAt)).not.toBeNaN();
      expect(r.seconds).toBeGreaterThan(0);
      expect(r.manifestHash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.dataHash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(runs[0]!.params.epochs).toBe(4);
    expect(runs[1]!.params.epochs).toBe(2);
    // The same data, a different manifest (epochs): the key tells them apart.
    expect(runs[0]!.dataHash).toBe(runs[1]!.dataHash);
    expect(runs[0]!.manifestHash).not.toBe(runs[1]!.manifestHash);
    const table = cli('runs', 'blobs');
    expect(table.stdout).toContain(first);
    expect(table.stdout).toMatch(/^Disk: clone \d+(\.\d)? (B|KiB|MiB), runs' models \d+(\.\d)? (B|KiB|MiB)$/m);
  });

  it('compare gives deltas against the first run, and --diff keeps only what differs', () => {
    type Row = { name: string; values: unknown[]; deltas: (number | null)[]; differs: boolean };
    const all = json<{ runs: { id: string }[]; params: Row[]; metrics: Row[] }>('compare', first, second, '--json');
    expect(all.runs.map((r) => r.id)).toEqual([first, second]);
    const epochs = all.params.find((p) => p.name === 'epochs')!;
    expect(epochs).toEqual({ name: 'epochs', values: [2, 4], deltas: [0, 2], differs: true });
    expect(all.params.find((p) => p.name === 'optimizer')).toMatchObject({ values: ['adam', 'adam'], deltas: [null, null], differs: false });
    const runs = json<RunSummary[]>('runs', 'blobs', '--json');
    const byId = Object.fromEntries(runs.map((r) => [r.id, r]));
    const loss = all.metrics.find((m) => m.name === 'loss') ?? all.metrics[0]!;
    expect(loss.deltas[1]).toBeCloseTo(byId[second]!.metrics[loss.name]! - byId[first]!.metrics[loss.name]!, 12);

    const diff = json<{ params: Row[]; metrics: Row[] }>('compare', first, second, '--diff', '--json');
    expect(diff.params.map((p) => p.name)).toContain('epochs');
    expect(diff.params.map((p) => p.name)).not.toContain('optimizer');
    expect(diff.params.every((p) => p.differs) && diff.metrics.every((m) => m.differs)).toBe(true);
    const human = cli('compare', first, second, '--diff');
    expect(human.stdout).toMatch(/^ {2}epochs\s+2\s+4 \(\+2\)$/m);
    expect(cli('compare', first).stderr).toMatch(/^modelcommons: compare takes two or more run ids, not 1/);
  });

  it('runs --csv has a header with param and metric columns and one row per run', () => {
    const r = cli('runs', 'blobs', '--csv');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    const header = lines[0]!.split(',');
    expect(header.slice(0, 3)).toEqual(['id', 'status', 'commit']);
    expect(header).toContain('param.learningRate');
    expect(header).toContain('metric.accuracy');
    const row = Object.fromEntries(lines[2]!.split(',').map((cell, i) => [header[i], cell]));
    expect(row).toMatchObject({ id: first, status: 'succeeded', backend: 'cpu', 'param.epochs': '2', 'param.learningRate': '0.02' });
  });

  it('export --quantize uint8 writes a model tfjs loads, and reports the metric change on the test rows', async () => {
    const out = path.join(home, 'quantized');
    const result = json<{ weightBytes: number; metricChange: { testRows: number; original: Record<string, number>; quantized: Record<string, number>; delta: Record<string, number> } }>(
      'export', second, out, '--quantize', 'uint8', '--json',
    );
    const specs = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8')).weightsManifest[0].weights as { dtype: string; quantization: { dtype: string; min: number; scale: number } }[];
    expect(specs.every((s) => s.dtype === 'float32' && s.quantization.dtype === 'uint8' && Number.isFinite(s.quantization.scale))).toBe(true);
    const full = fs.statSync(path.join(home, 'runs', second, 'model', 'weights.bin')).size;
    expect(result.weightBytes).toBe(full / 4); // one byte a weight instead of four

    const m = result.metricChange;
    expect(m.testRows).toBeGreaterThan(0);
    const runs = json<RunSummary[]>('runs', 'blobs', '--json');
    // Re-scoring the saved model on the run's test rows gives the run's own test metrics back.
    expect(m.original.accuracy).toBeCloseTo(runs.find((r) => r.id === second)!.metrics.accuracy!, 6);
    expect(m.delta.accuracy).toBeCloseTo(m.quantized.accuracy! - m.original.accuracy!, 12);

    // The exported folder is a model tfjs itself loads (its loader decodes the uint8 weights).
    const model = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8')).modelTopology,
        weightSpecs: specs as unknown as tf.io.WeightsManifestEntry[],
        weightData: new Uint8Array(fs.readFileSync(path.join(out, 'weights.bin'))).buffer,
      }),
    );
    const y = model.predict(tf.zeros([1, 4])) as tf.Tensor;
    expect(y.shape).toEqual([1, 3]);
    expect(Math.abs((await tf.sum(y).data())[0]! - 1)).toBeLessThan(1e-4);

    // Once the clone has moved past the run's commit, the test rows are re-loaded from a checkout of that commit.
    makeRepo(path.join(home, 'src', 'blobs'), [{ author: 'A', email: 'a@x.org', message: 'later', files: { 'README.md': '# Later\n' } }]);
    expect(cli('update', 'blobs').code).toBe(0);
    const later = json<{ metricChange: { dataFrom: string; original: Record<string, number> } }>('export', second, path.join(home, 'later'), '--quantize', 'uint8', '--json');
    expect(later.metricChange.dataFrom).toBe('checkout');
    expect(later.metricChange.original).toEqual(m.original);

    const human = cli('export', second, path.join(home, 'half'), '--quantize', 'float16');
    expect(human.stdout).toMatch(/^ {2}accuracy\s+\d\.\d{4} → \d\.\d{4} \([+-]\d/m);
    expect(cli('export', second, path.join(home, 'x'), '--quantize', 'int4').stderr).toMatch(/^modelcommons: --quantize must be one of float16, uint8, not "int4"/);
  });

  it('export --tensorboard writes an event file into <logdir>/<run>', () => {
    const logdir = path.join(home, 'tb');
    const r = json<{ file: string; scalars: number }>('export', first, logdir, '--tensorboard', '--json');
    expect(path.dirname(r.file)).toBe(path.join(logdir, first));
    expect(path.basename(r.file)).toMatch(/^events\.out\.tfevents\.\d+\./);
    expect(r.scalars).toBeGreaterThan(2 * 2); // per epoch at least train and validation loss
  });

  it('runs delete removes the run and its checkpoint folder', () => {
    const extra = json<{ runId: string }>('train', 'blobs', '--json', '--backend', 'cpu', '--epochs', '1').runId;
    expect(fs.existsSync(path.join(home, 'runs', extra, 'model', 'model.json'))).toBe(true);
    expect(json<{ deleted: boolean }>('runs', 'delete', extra, '--json').deleted).toBe(true);
    expect(fs.existsSync(path.join(home, 'runs', extra))).toBe(false);
    expect(json<RunSummary[]>('runs', 'blobs', '--json').map((r) => r.id)).not.toContain(extra);
    expect(cli('runs', 'delete', extra).stderr).toMatch(/^modelcommons: No run with id/);
  }, 60_000);

  it('remove deletes an app-made clone folder and its runs, but never a folder outside projects/', () => {
    const project = json<{ id: string; path: string }[]>('projects', '--json').find((p) => p.path.includes('blobs'))!;
    expect(path.dirname(project.path)).toBe(path.join(home, 'projects'));
    const removed = json<{ folderRemoved: boolean }>('remove', 'blobs', '--json');
    expect(removed.folderRemoved).toBe(true);
    expect(fs.existsSync(project.path)).toBe(false);
    expect(fs.existsSync(path.join(home, 'runs', first))).toBe(false);
    expect(json<{ id: string }[]>('projects', '--json').map((p) => p.id)).not.toContain(project.id);

    // A clone into a folder the person chose, and their own repository used in place: both stay on disk.
    const src = makeRepo(path.join(home, 'src', 'keep'), [{ author: 'A', email: 'a@x.org', message: 'm', files: { 'x.txt': 'x' } }]);
    const chosen = path.join(home, 'chosen');
    expect(cli('clone', src, '--dir', chosen).code).toBe(0);
    expect(json<{ folderRemoved: boolean }>('remove', 'keep', '--json').folderRemoved).toBe(false);
    expect(fs.existsSync(path.join(chosen, 'x.txt'))).toBe(true);
    expect(cli('runs', src, '--json').code).toBe(0); // registers the source repository in place
    expect(json<{ folderRemoved: boolean }>('remove', src, '--json').folderRemoved).toBe(false);
    expect(fs.existsSync(path.join(src, 'x.txt'))).toBe(true);
  });
});
