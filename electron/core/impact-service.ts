// Runs contributor analytics on a project (cached per commit and per blamed file in the store), applies the
// person's own identity merges and splits, and announces progress; one analysis per project at a time.
import { withModelTerm, type ImpactReport, type ModelBisectRequest, type ModelBisectResult, type ModelImpact, type ModelImpactRequest, type StoredModelImpact, type Weights } from '../../shared/impact.js';
import { AppError } from './app-error.js';
import type { EventBus } from './event-bus.js';
import { forgePeople } from './forge/forge-people.js';
import { analyzeWithCache } from './impact/cached-impact.js';
import { DEFAULT_CATEGORY_RULES, type CategoryRule } from './impact/categories.js';
import { CategoryRulesRepository } from './impact/category-rules-repository.js';
import { IdentityOverridesRepository, type StoredIdentityOverrides } from './impact/identity-overrides-repository.js';
import type { ProjectsService } from './projects-service.js';
import { ModelImpactRuns } from './model-impact/model-impact-runs.js';
import type { Db } from './store/database.js';

export interface AnalyzeOptions {
  readonly weights?: Partial<Weights>;
  readonly includeBots?: boolean;
  readonly blame?: boolean;
  readonly since?: string;
  readonly until?: string;
}

export class ImpactService {
  private readonly running = new Map<string, AbortController>();
  private readonly identities: IdentityOverridesRepository;
  private readonly categoryRules: CategoryRulesRepository;
  private readonly modelRuns: ModelImpactRuns;

  constructor(
    private readonly db: Db,
    private readonly projects: ProjectsService,
    private readonly events: EventBus,
  ) {
    this.identities = new IdentityOverridesRepository(db);
    this.modelRuns = new ModelImpactRuns(db, events);
    this.categoryRules = new CategoryRulesRepository(db);
  }

  async analyze(projectId: string, options: AnalyzeOptions = {}): Promise<ImpactReport> {
    const project = this.projects.requireReady(projectId);
    this.running.get(projectId)?.abort(); // a newer request replaces an older one
    const abort = new AbortController();
    this.running.set(projectId, abort);
    try {
      const report = await analyzeWithCache(this.db, projectId, project.path, {
        ...options,
        categories: { rules: this.categoryRules.get(projectId) },
        forge: forgePeople(this.db, projectId),
        signal: abort.signal,
        onProgress: (p) => this.events.emit('impact:progress', { projectId, ...p }),
      });
      // The score's model term M comes from the project's last model analysis (0 without one).
      return withModelTerm(report, this.modelRuns.last(projectId));
    } catch (err) {
      if (abort.signal.aborted) throw new AppError('conflict', 'The analysis was replaced by a newer one');
      throw err;
    } finally {
      if (this.running.get(projectId) === abort) this.running.delete(projectId);
    }
  }

  identityOverrides(projectId: string): StoredIdentityOverrides {
    this.projects.get(projectId);
    return this.identities.get(projectId);
  }

  merge(projectId: string, identities: readonly string[]): StoredIdentityOverrides {
    this.projects.get(projectId);
    try {
      return this.identities.merge(projectId, identities);
    } catch (err) {
      if (err instanceof RangeError) throw new AppError('invalid-request', err.message);
      throw err;
    }
  }

  split(projectId: string, identity: string): StoredIdentityOverrides {
    this.projects.get(projectId);
    return this.identities.split(projectId, identity);
  }

  rules(projectId: string): { rules: CategoryRule[]; defaults: CategoryRule[] } {
    this.projects.get(projectId);
    return { rules: this.categoryRules.get(projectId), defaults: [...DEFAULT_CATEGORY_RULES] };
  }

  setRules(projectId: string, rules: readonly CategoryRule[]): CategoryRule[] {
    this.projects.get(projectId);
    try {
      return this.categoryRules.set(projectId, rules);
    } catch (err) {
      if (err instanceof RangeError) throw new AppError('invalid-request', err.message);
      throw err;
    }
  }

  /** Model impact (see model-impact/): one analysis or bisect per project at a time, progress as `impact:modelProgress`. */
  analyzeModel(projectId: string, request: ModelImpactRequest = {}): Promise<ModelImpact> {
    const project = this.projects.requireReady(projectId);
    return this.modelRuns.analyze(projectId, project.path, request, { identities: this.identities.get(projectId) });
  }

  bisectModel(projectId: string, request: ModelBisectRequest = {}): Promise<ModelBisectResult> {
    const project = this.projects.requireReady(projectId);
    return this.modelRuns.bisect(projectId, project.path, request, { identities: this.identities.get(projectId) });
  }

  /** The project's last finished model analysis and the last bisect on it (null when none is stored). */
  lastModel(projectId: string): StoredModelImpact | null {
    this.projects.get(projectId);
    return this.modelRuns.last(projectId);
  }

  cancelModel(projectId: string): { cancelled: boolean } {
    this.projects.get(projectId);
    return { cancelled: this.modelRuns.cancel(projectId) };
  }

  cancelAll(): void {
    for (const abort of this.running.values()) abort.abort();
    void this.modelRuns.close();
  }
}
