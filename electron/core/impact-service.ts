// Runs contributor analytics on a project and announces its progress; one analysis per project at a time.
import type { ImpactReport, Weights } from '../../shared/impact.js';
import { AppError } from './app-error.js';
import type { EventBus } from './event-bus.js';
import { analyzeContributorImpact } from './impact/contributor-impact.js';
import type { ProjectsService } from './projects-service.js';

export interface AnalyzeOptions {
  readonly weights?: Partial<Weights>;
  readonly includeBots?: boolean;
  readonly blame?: boolean;
  readonly since?: string;
  readonly until?: string;
}

export class ImpactService {
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly projects: ProjectsService,
    private readonly events: EventBus,
  ) {}

  async analyze(projectId: string, options: AnalyzeOptions = {}): Promise<ImpactReport> {
    const project = this.projects.requireReady(projectId);
    this.running.get(projectId)?.abort(); // a newer request replaces an older one
    const abort = new AbortController();
    this.running.set(projectId, abort);
    try {
      return await analyzeContributorImpact(project.path, {
        ...options,
        signal: abort.signal,
        onProgress: (p) => this.events.emit('impact:progress', { projectId, ...p }),
      });
    } catch (err) {
      if (abort.signal.aborted) throw new AppError('conflict', 'The analysis was replaced by a newer one');
      throw err;
    } finally {
      if (this.running.get(projectId) === abort) this.running.delete(projectId);
    }
  }

  cancelAll(): void {
    for (const abort of this.running.values()) abort.abort();
  }
}
