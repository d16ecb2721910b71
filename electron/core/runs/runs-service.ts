// Runs after training: compare, export (CSV/JSON rows, TensorBoard curves, the model with optional quantization
// and its measured metric change), delete runs and projects, and the disk they take.
import fs from 'node:fs';
import path from 'node:path';
import type { DiskUse, Run } from '../../../shared/contract.js';
import { AppError } from '../app-error.js';
import type { ProjectsService } from '../projects-service.js';
import type { RunsRepository } from '../store/runs-repository.js';
import { compareRuns, type RunsComparison } from './compare-runs.js';
import type { Quantization } from './quantize-weights.js';

export interface ModelExport {
  readonly runId: string;
  readonly dir: string;
  readonly files: readonly string[];
  readonly quantization: Quantization | null;
  readonly weightBytes: number;
  /** With quantization: the test metrics of the saved model and of the quantized one, re-scored on the same rows. */
  readonly metricChange: {
    readonly testRows: number;
    readonly original: Record<string, number>;
    readonly quantized: Record<string, number>;
    readonly delta: Record<string, number>;
    readonly dataFrom: 'working tree' | 'checkout';
  } | null;
}

export class RunsService {
  constructor(
    private readonly runs: RunsRepository,
    private readonly projects: ProjectsService,
    /** Each run's files live in <runsDir>/<runId>/ (the model in model/). */
    private readonly runsDir: string,
  ) {}

  get(runId: string): Run {
    const run = this.runs.get(runId);
    if (!run) throw new AppError('not-found', `No run with id ${runId} (see: modelcommons runs <project>)`);
    return run;
  }

  compare(runIds: readonly string[], options: { diffOnly?: boolean } = {}): RunsComparison {
    if (runIds.length < 2) throw new AppError('invalid-request', `compare takes two or more run ids, not ${runIds.length}`);
    return compareRuns(runIds.map((id) => this.get(id)), options);
  }

  /** Deletes a run that has ended and its folder of files; a running run is cancelled first by whoever owns it. */
  delete(runId: string): { deleted: boolean } {
    const run = this.get(runId);
    if (run.status === 'running') throw new AppError('conflict', `Run ${runId} is still running: cancel it first`);
    fs.rmSync(this.runFolder(run.id), { recursive: true, force: true });
    return { deleted: this.runs.delete(run.id) };
  }

  /** Removes a project: its runs' folders, then the project (its clone folder only when ModelCommons made it). */
  removeProject(projectId: string): { removed: boolean; folderRemoved: boolean } {
    const project = this.projects.get(projectId);
    const runs = this.runs.listForProject(project.id);
    const running = runs.find((r) => r.status === 'running');
    if (running) throw new AppError('conflict', `"${project.name}" has a run still training (${running.id}): cancel it first`);
    for (const r of runs) fs.rmSync(this.runFolder(r.id), { recursive: true, force: true });
    const { folderRemoved } = this.projects.remove(project.id);
    return { removed: true, folderRemoved };
  }

  diskUse(projectId: string): DiskUse {
    const project = this.projects.get(projectId);
    const ownFolder = this.projects.ownsFolder(project.id);
    const runsBytes = this.runs.listForProject(project.id).reduce((n, r) => n + folderBytes(this.runFolder(r.id)), 0);
    return { projectId: project.id, cloneBytes: ownFolder ? folderBytes(project.path) : 0, runsBytes, ownFolder };
  }

  async exportTensorBoard(runId: string, dir: string): Promise<{ runId: string; file: string; scalars: number }> {
    const run = this.get(runId);
    const { writeTensorBoardEvents } = await import('./tensorboard-events.js'); // its CRC32C module loads on first use
    return { runId, ...writeTensorBoardEvents(run, dir) };
  }

  /** Writes the run's model to `dir` (new or empty); with quantization, measures its metric change on the test rows. */
  async exportModel(runId: string, dir: string, quantization: Quantization | null): Promise<ModelExport> {
    const run = this.get(runId);
    if (!run.checkpoint || !fs.existsSync(path.join(run.checkpoint, 'model.json'))) {
      throw new AppError('not-found', `Run ${runId} has no saved model (${run.status === 'succeeded' ? 'it was trained in a browser' : `it ${run.status === 'running' ? 'is still running' : run.status}`})`);
    }
    const target = path.resolve(dir);
    if (fs.existsSync(target) && fs.readdirSync(target).length > 0) throw new AppError('conflict', `${target} exists and is not empty`);
    // tfjs and the data loaders load on the first export, not with every host.
    const { scoreSavedModel, writeExportedModel } = await import('./model-export.js');
    const { loadRunTestData } = await import('./run-test-data.js');
    const { files, weightBytes } = writeExportedModel(run.checkpoint, target, quantization);
    if (!quantization) return { runId, dir: target, files, quantization, weightBytes, metricChange: null };
    const project = this.projects.get(run.projectId);
    const { manifest, data, from } = await loadRunTestData(project.path, run.commit, this.projects.overlayFile(project.id));
    const original = await scoreSavedModel(run.checkpoint, manifest, data);
    const quantized = await scoreSavedModel(target, manifest, data);
    const delta = Object.fromEntries(Object.keys(original).filter((k) => k in quantized).map((k) => [k, quantized[k]! - original[k]!]));
    return { runId, dir: target, files, quantization, weightBytes, metricChange: { testRows: data.nTest, original, quantized, delta, dataFrom: from } };
  }

  private runFolder(runId: string): string {
    // Run ids are UUIDs the service made; anything else must never become a path outside runs/.
    if (!/^[0-9a-f-]{8,64}$/i.test(runId)) throw new AppError('invalid-request', `"${runId}" is not a run id`);
    return path.join(this.runsDir, runId);
  }
}

/** Bytes of the files under a folder (symbolic links counted as themselves, never followed); 0 when it is gone. */
export function folderBytes(dir: string): number {
  let total = 0;
  const stack = [dir];
  while (stack.length) {
    const at = stack.pop()!;
    let st: fs.Stats;
    try {
      st = fs.lstatSync(at);
    } catch {
      continue;
    }
    if (st.isDirectory()) for (const name of fs.readdirSync(at)) stack.push(path.join(at, name));
    else total += st.size;
  }
  return total;
}
