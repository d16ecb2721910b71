// Connects a project to its forge and syncs it (one sync per project at a time, cancellable); nothing is
// fetched before the user connects. Progress goes out as `forge:progress`; the token comes from a provider.
import type { ForgeKind, ForgeStatus, ForgeSyncResult } from '../../../shared/forge.js';
import { AppError } from '../app-error.js';
import type { EventBus } from '../event-bus.js';
import { readGit } from '../git/project-git.js';
import type { ProjectsService } from '../projects-service.js';
import type { Db } from '../store/database.js';
import { ForgeRepository } from './forge-repository.js';
import { forgeTarget, proposeForgeTarget } from './forge-target.js';
import type { TokenProvider } from './token-provider.js';

export interface ConnectRequest {
  readonly forge: ForgeKind;
  readonly repo: string;
  readonly apiUrl?: string;
  /** A token the user entered: handed to the token provider (the keychain), never to the store. */
  readonly token?: string;
}

export class ForgeService {
  private readonly store: ForgeRepository;
  private readonly running = new Map<string, AbortController>();

  constructor(
    db: Db,
    private readonly projects: Pick<ProjectsService, 'get'>,
    private readonly events: EventBus,
    private readonly tokens: TokenProvider,
    /** Where waits and refusals are said; never given the token. */
    private readonly log: (line: string) => void = () => {},
  ) {
    this.store = new ForgeRepository(db);
  }

  async status(projectId: string): Promise<ForgeStatus> {
    const project = this.projects.get(projectId);
    const connection = this.store.connection(projectId);
    const proposed = proposeForgeTarget(project.source) ?? (project.status === 'ready' ? await this.remoteProposal(project.path) : null);
    return {
      projectId,
      connection: connection ? { forge: connection.forge, repo: connection.repo, apiUrl: connection.apiUrl } : null,
      proposed,
      syncedAt: connection?.syncedAt ?? null,
      rate: connection?.rate ?? null,
      hasToken: connection ? (await this.tokens.get(connection.forge, connection.apiUrl)) !== null : false,
      counts: this.store.counts(projectId),
    };
  }

  async connect(projectId: string, request: ConnectRequest): Promise<ForgeStatus> {
    this.projects.get(projectId);
    let target;
    try {
      target = forgeTarget(request.forge, request.repo, request.apiUrl);
    } catch (err) {
      throw new AppError('invalid-request', (err as Error).message);
    }
    if (request.token !== undefined) await this.tokens.set(target.forge, target.apiUrl, request.token);
    this.store.connect(projectId, target);
    return this.status(projectId);
  }

  async sync(projectId: string, signal?: AbortSignal): Promise<ForgeSyncResult> {
    this.projects.get(projectId);
    const connection = this.store.connection(projectId);
    if (!connection) throw new AppError('invalid-request', 'Connect the project to GitHub or GitLab first (nothing is fetched before)');
    this.running.get(projectId)?.abort();
    const abort = new AbortController();
    this.running.set(projectId, abort);
    const onAbort = () => abort.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const token = await this.tokens.get(connection.forge, connection.apiUrl);
      // The forge clients load on the first sync, not with every host (a CLI command that never syncs stays quick).
      const sync = connection.forge === 'github' ? (await import('./github-sync.js')).syncGitHub : (await import('./gitlab-sync.js')).syncGitLab;
      const outcome = await sync({
        projectId,
        target: connection,
        token,
        store: this.store,
        signal: abort.signal,
        log: this.log,
        onProgress: (p) => this.events.emit('forge:progress', { projectId, ...p }),
      });
      this.store.markSynced(projectId, new Date().toISOString(), outcome.rate);
      return { status: await this.status(projectId), requests: outcome.requests, notModified: outcome.notModified, fetched: outcome.fetched };
    } catch (err) {
      if (abort.signal.aborted) throw new AppError('conflict', 'The forge sync was cancelled');
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (this.running.get(projectId) === abort) this.running.delete(projectId);
    }
  }

  cancel(projectId: string): boolean {
    const abort = this.running.get(projectId);
    abort?.abort();
    return abort !== undefined;
  }

  cancelAll(): void {
    for (const abort of this.running.values()) abort.abort();
  }

  private async remoteProposal(dir: string) {
    try {
      return proposeForgeTarget((await readGit(dir, ['config', '--get', 'remote.origin.url'], { context: 'Reading the remote URL' })).trim());
    } catch {
      return null;
    }
  }
}
