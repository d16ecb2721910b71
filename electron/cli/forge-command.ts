// `modelcommons forge sync <project>`: connects a project to GitHub or GitLab (when told which) and reads what
// changed there since the last sync, through the same validated dispatch as the other hosts.
import type { ForgeStatus } from '../../shared/forge.js';
import type { ServiceGraph } from '../core/service-graph.js';
import { call } from './dispatch-call.js';
import { endProgress, printJson, printLine, progress } from './output.js';

export interface ForgeSyncFlags {
  readonly github?: string;
  readonly gitlab?: string;
  readonly apiUrl?: string;
  readonly json?: boolean;
}

export async function forgeSyncCommand(services: ServiceGraph, ref: string, flags: ForgeSyncFlags): Promise<void> {
  if (flags.github && flags.gitlab) throw new Error('Give --github OWNER/REPO or --gitlab GROUP/PROJECT, not both');
  const project = services.projects.find(ref);
  const projectId = project.id;
  if (flags.github || flags.gitlab) {
    await call(services, 'forge:connect', {
      projectId,
      forge: flags.github ? 'github' : 'gitlab',
      repo: (flags.github ?? flags.gitlab)!,
      ...(flags.apiUrl ? { apiUrl: flags.apiUrl } : {}),
    });
  } else {
    const status = await call(services, 'forge:status', { projectId });
    if (!status.connection) {
      const hint = status.proposed ? ` (its remote suggests --${status.proposed.forge} ${status.proposed.repo})` : '';
      throw new Error(`${project.name} is not connected to a forge: give --github OWNER/REPO or --gitlab GROUP/PROJECT${hint}`);
    }
    if (flags.apiUrl) await call(services, 'forge:connect', { projectId, ...status.connection, apiUrl: flags.apiUrl });
  }
  const off = services.events.on('forge:progress', (p) => {
    if (p.projectId !== projectId || flags.json) return;
    progress(p.waitingSeconds !== null ? `rate limit: waiting ${p.waitingSeconds} s` : `${p.list.padEnd(16)} ${p.fetched} items, ${p.requests} requests`);
  });
  const cancel = () => void services.use.forge().then((forge) => forge.cancel(projectId));
  process.once('SIGINT', cancel);
  try {
    const result = await call(services, 'forge:sync', { projectId });
    endProgress();
    if (flags.json) return printJson(result);
    const s = result.status;
    const f = result.fetched;
    printLine(`${project.name}: ${describe(s)}`);
    printLine(`this sync: ${result.requests} requests (${result.notModified} answered 304 Not Modified); new or changed: ${f.issues} issues, ${f.pullRequests} pull requests, ${f.comments} comments, ${f.reviews} reviews, ${f.reviewComments} review comments, ${f.commits} commits`);
    printLine(`stored: ${s.counts.issues} issues, ${s.counts.pullRequests} pull requests, ${s.counts.comments} comments, ${s.counts.reviews} reviews, ${s.counts.reviewComments} review comments, ${s.counts.commits} login ↔ git identity links`);
  } finally {
    off();
    process.removeListener('SIGINT', cancel);
  }
}

/** "github octo/model via https://api.github.com, as of …, rate limit 4,990 of 5,000 left until …". */
export function describe(s: ForgeStatus): string {
  if (!s.connection) return 'not connected';
  const rate = s.rate && s.rate.remaining !== null ? `, rate limit ${s.rate.remaining} of ${s.rate.limit ?? '?'} left${s.rate.resetAt ? ` until ${s.rate.resetAt}` : ''}` : '';
  return `${s.connection.forge} ${s.connection.repo} via ${s.connection.apiUrl}, as of ${s.syncedAt ?? 'never'}${rate}${s.hasToken ? '' : ' (no token: public data, lower rate limit)'}`;
}
