// The service side of model impact: one analysis or bisect per project at a time (a newer request replaces an
// older one), a long-lived training pool shared by all of them, the store of trainings, progress as events. The
// last finished analysis of a project (and the last bisect on it) is stored, to be read back after a reload.
import type { ModelBisectRequest, ModelBisectResult, ModelImpact, ModelImpactRequest, StoredModelImpact } from '../../../shared/impact.js';
import { AppError } from '../app-error.js';
import type { EventBus } from '../event-bus.js';
import type { IdentityOverrides } from '../impact/identities.js';
import type { Db } from '../store/database.js';
import { ModelImpactReportsRepository } from '../store/model-impact-reports-repository.js';
import { ModelTrainingsRepository } from '../store/model-trainings-repository.js';
import { analyzeModelImpact, type ModelImpactOptions, type ModelImpactProgress } from './analyze-model-impact.js';
import { bisectModel } from './bisect-model.js';
import { TrainingPool } from './training-pool.js';

export interface RunContext {
  readonly identities?: IdentityOverrides;
}

export class ModelImpactRuns {
  private readonly store: ModelTrainingsRepository;
  private readonly reports: ModelImpactReportsRepository;
  private readonly running = new Map<string, AbortController>();
  private pool: TrainingPool | null = null;

  constructor(
    db: Db,
    private readonly events: EventBus,
  ) {
    this.store = new ModelTrainingsRepository(db);
    this.reports = new ModelImpactReportsRepository(db);
  }

  async analyze(projectId: string, dir: string, request: ModelImpactRequest, context: RunContext = {}): Promise<ModelImpact> {
    const report = await this.exclusive(projectId, request.workers, (base) =>
      analyzeModelImpact(dir, {
        ...base,
        ...pick(request, ['seeds', 'method', 'budget', 'since', 'until', 'evaluation']),
        ...(context.identities ? { identities: context.identities } : {}),
      }),
    );
    this.reports.saveReport(projectId, report);
    return report;
  }

  async bisect(projectId: string, dir: string, request: ModelBisectRequest, context: RunContext = {}): Promise<ModelBisectResult> {
    const result = await this.exclusive(projectId, request.workers, (base) =>
      bisectModel(dir, {
        ...base,
        ...pick(request, ['seeds', 'good', 'bad', 'evaluation']),
        ...(context.identities ? { identities: context.identities } : {}),
      }),
    );
    this.reports.saveBisect(projectId, result);
    return result;
  }

  /** The project's last finished analysis and the last bisect on it, or null when none is stored. */
  last(projectId: string): StoredModelImpact | null {
    return this.reports.get(projectId);
  }

  cancel(projectId: string): boolean {
    const abort = this.running.get(projectId);
    abort?.abort();
    return abort !== undefined;
  }

  async close(): Promise<void> {
    for (const abort of this.running.values()) abort.abort();
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }

  private poolFor(workers: number | undefined): TrainingPool {
    if (this.pool && workers !== undefined && this.pool.concurrency !== workers) {
      void this.pool.close();
      this.pool = null;
    }
    this.pool ??= new TrainingPool(workers !== undefined ? { workers } : {});
    return this.pool;
  }

  private async exclusive<T>(
    projectId: string,
    workers: number | undefined,
    job: (base: Pick<ModelImpactOptions, 'runner' | 'store' | 'signal' | 'onProgress'>) => Promise<T>,
  ): Promise<T> {
    this.running.get(projectId)?.abort(); // a newer request replaces an older one
    const abort = new AbortController();
    this.running.set(projectId, abort);
    try {
      return await job({
        runner: this.poolFor(workers),
        store: this.store,
        signal: abort.signal,
        onProgress: (p: ModelImpactProgress) => this.events.emit('impact:modelProgress', { projectId, ...p }),
      });
    } catch (err) {
      if (abort.signal.aborted) throw new AppError('conflict', 'The model-impact analysis was cancelled; its finished trainings are kept for the next run');
      throw err;
    } finally {
      if (this.running.get(projectId) === abort) this.running.delete(projectId);
    }
  }
}

function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}
