// `modelcommons sweep <project> --set KEY=V1,V2 … [--random N] [--folds K] [--workers N] [--redis URL] [--json]`:
// a grid or random search over manifest keys, optionally k-fold cross-validated, trained on this machine's cores or
// on Redis workers; each point is a run (with --folds, K runs) and is summarized as mean ± sd. `modelcommons jobs`
// lists the queue and cancels, pauses or resumes a sweep's jobs.
import { PROCESS_BACKEND_CHOICES, type BackendChoice } from '../../shared/backends.js';
import { AppError } from '../core/app-error.js';
import type { JobRecord } from '../core/jobs/job-spec.js';
import { JobsRepository, openStatuses } from '../core/jobs/jobs-repository.js';
import { runSweep, type SweepReport } from '../core/jobs/run-sweep.js';
import { parseSweepAxis } from '../core/runs/sweep-plan.js';
import type { MeanSd } from '../core/runs/sweep-summary.js';
import type { ServiceGraph } from '../core/service-graph.js';
import { dataCacheSettings } from '../core/data-home.js';
import { loadManifest } from '../core/training/load-manifest.js';
import { endProgress, printJson, printLine, progress } from './output.js';
import { resolveProjectRef } from './project-ref.js';

export interface SweepOptions {
  readonly set?: string[];
  readonly random?: string;
  readonly folds?: string;
  readonly workers?: string;
  readonly redis?: string;
  readonly seed?: string;
  readonly backend?: string;
  readonly json?: boolean;
}

function wholeNumber(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new AppError('invalid-request', `${flag} takes a whole number of at least ${min}, not "${text}"`);
  return n;
}

export async function sweepCommand(services: ServiceGraph, ref: string, opts: SweepOptions): Promise<void> {
  if (!opts.set?.length) throw new AppError('invalid-request', 'Give at least one --set KEY=V1,V2,… (e.g. --set training.learningRate=0.01,0.001)');
  const backend = opts.backend ?? 'auto';
  if (!(PROCESS_BACKEND_CHOICES as readonly string[]).includes(backend)) throw new AppError('invalid-request', `--backend takes ${PROCESS_BACKEND_CHOICES.join(', ')}, not "${backend}"`);
  const random = wholeNumber('--random', opts.random, 1);
  const folds = wholeNumber('--folds', opts.folds, 2);
  const workers = wholeNumber('--workers', opts.workers, 1);
  const seed = wholeNumber('--seed', opts.seed, 0);
  const project = services.projects.requireReady((await resolveProjectRef(services, ref)).id);
  const overlayFile = services.projects.overlayFile(project.id);
  const primary = loadManifest(project.path, overlayFile).metrics?.primary ?? null;
  let done = 0;
  let total = 0;
  const report = await runSweep(
    { db: services.db, home: services.home, project, overlayFile, dataCache: dataCacheSettings(services.home) },
    {
      axes: opts.set.map(parseSweepAxis),
      backend: backend as BackendChoice,
      ...(random !== undefined ? { random } : {}),
      ...(folds !== undefined ? { folds } : {}),
      ...(seed !== undefined ? { seed } : {}),
    },
    {
      ...(workers !== undefined ? { workers } : {}),
      ...(opts.redis ? { redis: opts.redis } : {}),
      onQueued: (jobs) => {
        total = jobs.length;
        done = jobs.filter((j) => j.status === 'succeeded').length;
      },
      onProgress: (job, p) => progress(`${done}/${total} done · job ${job.id.slice(0, 8)} epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)}`),
      onEnded: (job) => {
        if (job.status === 'paused') return;
        done++;
        progress(`${done}/${total} done · job ${job.id.slice(0, 8)} ${job.status}${job.error ? `: ${job.error}` : ''}`);
      },
    },
  );
  endProgress();
  // Points without their runs (failed or cancelled jobs): the sweep is not complete.
  if (report.jobs.failed) process.exitCode = 1;
  if (opts.json) return printJson(report);
  printSweep(report, primary);
}

const formatMeanSd = (m: MeanSd | null | undefined) => (m ? (m.n > 1 ? `${m.mean.toFixed(4)} ± ${m.sd.toFixed(4)}` : m.mean.toFixed(4)) : '—');

function printSweep(report: SweepReport, primary: string | null): void {
  const { jobs } = report;
  printLine(`Sweep ${report.sweepId.slice(0, 12)} at ${report.commit.slice(0, 12)}: ${report.points.length} point${report.points.length === 1 ? '' : 's'}${report.folds ? ` × ${report.folds} folds` : ''}; ${jobs.trained} trained, ${jobs.reused} already stored, ${jobs.failed} failed`);
  const metric = primary ?? Object.keys(report.points[0]?.metrics ?? {})[0] ?? null;
  const keys = Object.keys(report.points[0]?.point ?? {});
  const rows = [
    [...keys, metric ? `test ${metric}` : 'test', 'val loss', 'runs'],
    ...report.points.map((p) => [...keys.map((k) => String(p.point[k])), formatMeanSd(metric ? p.metrics[metric] : null), formatMeanSd(p.valLoss), p.runs.map((r) => r.slice(0, 8)).join(' ') + (p.failed ? ` (${p.failed} failed)` : '')]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) printLine(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '));
  for (const e of report.errors) printLine(`failed: ${e}`);
}

/** The jobs a `modelcommons jobs` target names: a sweep id or a job id, in full or by a prefix of 8 or more. */
function jobsOf(jobs: JobsRepository, target: string): JobRecord[] {
  if (!/^[0-9a-f-]{8,64}$/i.test(target)) throw new AppError('invalid-request', `"${target}" is not a job or sweep id (see: modelcommons jobs)`);
  const all = jobs.list();
  const bySweep = all.filter((j) => j.sweepId?.startsWith(target));
  const sweeps = new Set(bySweep.map((j) => j.sweepId));
  if (sweeps.size > 1) throw new AppError('invalid-request', `"${target}" is the start of ${sweeps.size} sweep ids: give more of it`);
  if (bySweep.length) return bySweep;
  const byId = all.filter((j) => j.id.startsWith(target));
  if (byId.length > 1) throw new AppError('invalid-request', `"${target}" is the start of ${byId.length} job ids: give more of it`);
  if (!byId.length) throw new AppError('not-found', `No job or sweep with id ${target} (see: modelcommons jobs)`);
  return byId;
}

export function jobSummary(j: JobRecord) {
  return { id: j.id, sweepId: j.sweepId, projectId: j.projectId, queue: j.queue, status: j.status, point: j.spec.point, fold: j.spec.fold, attempts: j.attempts, progress: j.progress, runId: j.status === 'succeeded' ? j.runId : null, error: j.error, createdAt: j.createdAt };
}

/** `modelcommons jobs [--sweep ID] [--all] [--json]`: the queue (open jobs by default), oldest first. */
export function jobsCommand(services: ServiceGraph, opts: { sweep?: string; all?: boolean; json?: boolean }): void {
  const jobs = new JobsRepository(services.db);
  const list = (opts.sweep ? jobsOf(jobs, opts.sweep) : jobs.list()).filter((j) => opts.all || opts.sweep || openStatuses.includes(j.status));
  if (opts.json) return printJson(list.map(jobSummary));
  if (!list.length) return printLine(opts.all ? 'No jobs yet. Queue some with: modelcommons sweep <project> --set KEY=V1,V2' : 'No open jobs (--all shows ended ones too).');
  for (const j of list) {
    const point = Object.entries(j.spec.point).map(([k, v]) => `${k}=${v}`).join(' ');
    const at = j.progress ? ` epoch ${j.progress.epoch}/${j.progress.epochs}` : '';
    printLine(`${j.id.slice(0, 8)}  sweep ${j.sweepId?.slice(0, 8) ?? '—'}  ${j.queue.padEnd(5)} ${j.status.padEnd(9)}${at}  ${point}${j.spec.fold ? ` fold ${j.spec.fold.index + 1}/${j.spec.fold.count}` : ''}${j.error && j.status === 'failed' ? `  ${j.error}` : ''}`);
  }
}

/**
 * `modelcommons jobs cancel|pause|resume <sweep-or-job>`: through the store, so the process training them (a running
 * `modelcommons sweep`) stops a running one at its next epoch and takes resumed ones within a second.
 */
export function jobsActionCommand(services: ServiceGraph, action: 'cancel' | 'pause' | 'resume', target: string, opts: { json?: boolean }): void {
  const jobs = new JobsRepository(services.db);
  const chosen = jobsOf(jobs, target);
  let changed = 0;
  if (action === 'cancel') for (const j of chosen) changed += jobs.cancel(j.id) ? 1 : 0;
  else {
    const sweepIds = [...new Set(chosen.map((j) => j.sweepId))];
    if (sweepIds.length !== 1 || sweepIds[0] === null || chosen.length === 1) {
      // One job: pause or resume it alone.
      const j = chosen[0]!;
      changed = action === 'pause' ? (j.status === 'queued' || j.status === 'running' ? Number(jobs.putBack(j.id, 'paused')) : 0) : j.status === 'paused' ? Number(jobs.putBack(j.id, 'queued')) : 0;
    } else changed = action === 'pause' ? jobs.pause(sweepIds[0]) : jobs.resume(sweepIds[0]);
  }
  if (opts.json) return printJson({ action, changed, jobs: chosen.map((j) => jobSummary(jobs.get(j.id)!)) });
  const verb = { cancel: 'Cancelled', pause: 'Paused', resume: 'Resumed' }[action];
  printLine(`${verb} ${changed} job${changed === 1 ? '' : 's'}.${action === 'resume' && changed ? ' A running `modelcommons sweep` takes them; otherwise run the same sweep again.' : ''}`);
}
