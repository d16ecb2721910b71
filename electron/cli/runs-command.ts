// `modelcommons runs|compare|export|remove`: a project's runs as a table, JSON or CSV; runs side by side with deltas;
// a run's model (optionally quantized, its metric change measured) or curves (TensorBoard); deleting runs and projects.
import path from 'node:path';
import type { Run } from '../../shared/contract.js';
import { formatBytes } from '../../shared/format-bytes.js';
import type { CellValue, ComparedRow, RunsComparison } from '../core/runs/compare-runs.js';
import { quantizations, type Quantization } from '../core/runs/quantize-weights.js';
import { runsToCsv } from '../core/runs/runs-csv.js';
import type { ServiceGraph } from '../core/service-graph.js';
import { openServices } from './commands.js';
import { call } from './dispatch-call.js';
import { printJson, printLine } from './output.js';
import { resolveProjectRef } from './project-ref.js';
import { terminalText } from './terminal-text.js';

async function withServices<T>(version: string, work: (services: ServiceGraph) => Promise<T>): Promise<T> {
  const services = openServices(version);
  try {
    return await work(services);
  } finally {
    services.close();
  }
}

/** What `runs --json` prints for each run (the fields scripts rely on first, then the key and the rest). */
export function runSummary(r: Run) {
  return {
    id: r.id,
    status: r.status,
    commit: r.commit,
    params: r.params,
    metrics: r.metrics,
    backend: r.backend,
    startedAt: r.startedAt,
    seconds: r.seconds,
    device: r.device,
    manifestHash: r.manifestHash,
    dataHash: r.dataHash,
    seed: r.seed,
    epochsRun: r.history.length,
    bestEpoch: r.bestEpoch,
    split: r.split,
    error: r.error,
  };
}

export async function runsCommand(version: string, ref: string, opts: { json?: boolean; csv?: boolean }) {
  if (opts.json && opts.csv) throw new Error('Give --json or --csv, not both');
  await withServices(version, async (services) => {
    const project = await resolveProjectRef(services, ref);
    const runs = await call(services, 'runs:list', { projectId: project.id });
    if (opts.json) return printJson(runs.map(runSummary));
    if (opts.csv) return void process.stdout.write(runsToCsv(runs));
    if (!runs.length) return printLine(`No runs of ${project.name} yet. Train it with: modelcommons train ${project.name}`);
    const disk = await call(services, 'projects:diskUse', { projectId: project.id });
    const rows = runs.map((r) => {
      const metric = r.task === 'classification' ? 'accuracy' : 'r2';
      const value = r.metrics?.[metric];
      return [r.id, r.startedAt, r.commit.slice(0, 8), r.status, r.backend, r.seconds === null ? '' : `${r.seconds.toFixed(1)} s`, value === undefined ? '' : `${metric} ${value.toFixed(4)}`];
    });
    printTable(['run', 'started', 'commit', 'status', 'backend', 'time', 'test'], rows);
    printLine(`Disk: clone ${disk.ownFolder ? formatBytes(disk.cloneBytes) : 'your own folder (not counted)'}, runs' models ${formatBytes(disk.runsBytes)}`);
  });
}

export async function compareCommand(version: string, runIds: string[], opts: { diff?: boolean; json?: boolean }) {
  await withServices(version, async (services) => {
    const comparison = (await services.use.runs()).compare(runIds, { diffOnly: opts.diff ?? false });
    if (opts.json) return printJson(comparison);
    printComparison(comparison, opts.diff ?? false);
  });
}

function printComparison(c: RunsComparison, diffOnly: boolean) {
  const header = ['', ...c.runs.map((r, i) => `${r.id.slice(0, 8)}${i === 0 ? ' (base)' : ''}`)];
  const cells = (row: ComparedRow<CellValue>) => row.values.map((v, i) => {
    const d = row.deltas[i];
    const shown = v === null ? '—' : typeof v === 'number' ? formatNumber(v) : String(v);
    return i > 0 && d != null && d !== 0 ? `${shown} (${d > 0 ? '+' : ''}${formatNumber(d)})` : shown;
  });
  const rows: string[][] = [];
  if (c.params.length) rows.push(['params', ...c.runs.map(() => '')], ...c.params.map((p) => [`  ${p.name}`, ...cells(p)]));
  if (c.metrics.length) rows.push(['test metrics', ...c.runs.map(() => '')], ...c.metrics.map((m) => [`  ${m.name}`, ...cells(m)]));
  if (!rows.length) return printLine(diffOnly ? 'These runs do not differ in any param or metric.' : 'These runs have no params or metrics.');
  printTable(header, rows);
  // A delta between two single trainings includes seed noise; the runs' seeds say whether that was varied at all.
  const seeds = new Set(c.params.find((p) => p.name === 'seed')?.values ?? []);
  printLine(`Each column is one training${seeds.size > 1 ? ' with its own seed' : ''}: a delta smaller than the spread between seeds is noise.`);
}

export async function exportCommand(
  version: string,
  runId: string,
  dir: string,
  opts: { json?: boolean; tensorboard?: boolean; quantize?: string },
) {
  if (opts.tensorboard && opts.quantize) throw new Error('--quantize is for the model; --tensorboard writes the curves only');
  const quantization = opts.quantize ? quantizationOf(opts.quantize) : null;
  await withServices(version, async (services) => {
    if (opts.tensorboard) {
      // A TensorBoard logdir holds many runs, each in a folder of its own: the run's id names it.
      const written = await (await services.use.runs()).exportTensorBoard(runId, path.join(path.resolve(dir), runId));
      if (opts.json) return printJson(written);
      return printLine(`Wrote ${written.scalars} scalars of run ${runId} to ${written.file}; view them with: tensorboard --logdir ${path.resolve(dir)}`);
    }
    const result = await (await services.use.runs()).exportModel(runId, dir, quantization);
    if (opts.json) return printJson(result);
    printLine(`Exported the model of run ${runId} to ${result.dir} (${result.files.join(', ')}, weights ${formatBytes(result.weightBytes)}${quantization ? `, ${quantization}` : ''}); load it with tf.loadLayersModel`);
    const change = result.metricChange;
    if (change) {
      printLine(`Test metrics on ${change.testRows} rows (from the ${change.dataFrom} at the run's commit), saved model → ${quantization}:`);
      for (const [k, v] of Object.entries(change.original)) {
        const q = change.quantized[k];
        const d = change.delta[k];
        printLine(`  ${k.padEnd(20)} ${formatNumber(v)} → ${q === undefined ? '—' : formatNumber(q)}${d === undefined ? '' : ` (${d >= 0 ? '+' : ''}${formatNumber(d)})`}`);
      }
    }
  });
}

export async function runsDeleteCommand(version: string, runId: string, opts: { json?: boolean }) {
  await withServices(version, async (services) => {
    const result = await call(services, 'runs:delete', { runId });
    if (opts.json) return printJson({ runId, ...result });
    printLine(result.deleted ? `Deleted run ${runId} and its saved model` : `No run ${runId}`);
  });
}

export async function removeCommand(version: string, ref: string, opts: { json?: boolean }) {
  await withServices(version, async (services) => {
    // Only a registered project: a bare folder is never registered just to be removed.
    const project = services.projects.find(ref);
    const result = await call(services, 'projects:remove', { projectId: project.id });
    if (opts.json) return printJson({ projectId: project.id, name: project.name, path: project.path, ...result });
    printLine(
      result.folderRemoved
        ? `Removed ${project.name}, its runs and its clone folder ${project.path}`
        : `Removed ${project.name} and its runs; its folder ${project.path} was left as it is (ModelCommons did not make it)`,
    );
  });
}

function quantizationOf(raw: string): Quantization {
  if ((quantizations as readonly string[]).includes(raw)) return raw as Quantization;
  throw new Error(`--quantize must be one of ${quantizations.join(', ')}, not "${raw}"`);
}

/** Columns padded to their widest cell; every cell escaped first, so an escape's width is what gets padded. */
function printTable(header: readonly string[], rows: readonly (readonly string[])[]) {
  const all = [header, ...rows].map((r) => r.map((c) => terminalText(c)));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  for (const r of all) printLine(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : Math.abs(n) >= 1e-3 || n === 0 ? n.toFixed(4) : n.toExponential(2);
}
