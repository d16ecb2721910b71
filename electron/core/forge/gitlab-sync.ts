// Reads a GitLab project's issues, merge requests, their notes and approvals through the REST API v4
// (@gitbeaker/rest, requests through ForgeHttp) into the store, incrementally (`updated_after` the last sync;
// pages by GitLab's x-next-page header). GitLab's commit list has no usernames, so logins are linked to git
// identities by the display name the API gives (identities.ts merges equal names).
import { Gitlab } from '@gitbeaker/rest';
import { createRequesterFn, GitbeakerRequestError } from '@gitbeaker/requester-utils';
import type { ForgeCounts } from '../../../shared/forge.js';
import { ForgeHttp, latest } from './forge-http.js';
import type { ForgeItem } from './forge-repository.js';
import type { ForgeSyncOutcome, GitHubSyncInput } from './github-sync.js';

const PER_PAGE = 100;
const RATE_RETRIES = 3;

interface GlUser {
  username: string;
  name?: string;
  bot?: boolean;
}
interface Paged<T> {
  data: T[];
  paginationInfo: { next: number | null };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason as Error)), { once: true });
  });

/** gitbeaker's requester over ForgeHttp: 429 (and 403 with retry-after) wait as the server says, then retry. */
function requesterOver(http: ForgeHttp, log: (line: string) => void, signal?: AbortSignal) {
  return createRequesterFn(
    async (_service, options) => options,
    async (endpoint, options) => {
      const { prefixUrl, searchParams, method, headers, body } = (options ?? {}) as { prefixUrl?: string; searchParams?: string; method?: string; headers?: Record<string, string>; body?: string };
      const base = prefixUrl ? (prefixUrl.endsWith('/') ? prefixUrl : `${prefixUrl}/`) : undefined;
      const url = new URL(endpoint, base);
      url.search = searchParams ?? '';
      for (let attempt = 0; ; attempt++) {
        const res = await http.fetch(url, { method: method ?? 'GET', headers: headers ?? {}, ...(body ? { body } : {}) });
        if (res.ok) {
          const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
          const parsed = type === 'application/json' ? ((await res.json()) as unknown) : await res.text();
          return { body: parsed as never, headers: Object.fromEntries(res.headers.entries()), status: res.status };
        }
        const retryAfter = Number(res.headers.get('retry-after'));
        const reset = Number(res.headers.get('ratelimit-reset'));
        const wait = Number.isFinite(retryAfter) && retryAfter >= 0 && res.headers.has('retry-after') ? retryAfter : Number.isFinite(reset) && reset > 0 ? Math.max(0, Math.ceil(reset - Date.now() / 1000)) : NaN;
        if ((res.status === 429 || res.status === 403) && Number.isFinite(wait) && attempt < RATE_RETRIES) {
          log(`GitLab rate limit on ${method ?? 'GET'} ${url.pathname}: waiting ${wait} s`);
          http.progress('rate-limit', 0, wait);
          await sleep(wait * 1000, signal);
          continue;
        }
        const text = await res.text();
        throw new GitbeakerRequestError(`GitLab answered ${res.status} for ${url.pathname}: ${text.slice(0, 200)}`, { cause: { description: text, request: new Request(url), response: res } });
      }
    },
  );
}

export async function syncGitLab(input: GitHubSyncInput): Promise<ForgeSyncOutcome> {
  const { projectId, target, store, signal } = input;
  const http = new ForgeHttp(target.apiUrl, input);
  const log = input.log ?? (() => {});
  const api = new Gitlab({
    host: target.apiUrl.replace(/\/+$/, ''),
    ...(input.token ? { token: input.token } : { token: '' }),
    requesterFn: requesterOver(http, log, signal),
  } as ConstructorParameters<typeof Gitlab>[0]);
  const projectRef = target.repo.trim().replace(/^\/+|\/+$/g, '');
  const fetched: ForgeCounts = { issues: 0, pullRequests: 0, comments: 0, reviews: 0, reviewComments: 0, commits: 0 };

  /** Every page of a list, by x-next-page. */
  async function allPages<T>(list: string, get: (page: number) => Promise<unknown>, onPage: (items: T[]) => void): Promise<void> {
    let page = 1;
    let count = 0;
    for (;;) {
      signal?.throwIfAborted();
      const res = (await get(page)) as Paged<T>;
      onPage(res.data);
      count += res.data.length;
      http.progress(list, count);
      if (!res.paginationInfo.next) return;
      page = res.paginationInfo.next;
    }
  }
  const who = (u: GlUser | null | undefined) => ({ author: u?.username ?? 'ghost', authorBot: u?.bot === true, authorName: u?.name ?? null });
  const paging = (page: number) => ({ perPage: PER_PAGE, page, showExpanded: true as const });

  /** Issues or merge requests updated since the last sync; returns those changed (their notes are read again). */
  async function readTop(list: 'issues' | 'mergeRequests', kind: 'issue' | 'pull'): Promise<number[]> {
    const since = store.validator(projectId, list)?.since ?? null;
    let newest = since;
    const changed: number[] = [];
    const opts = (page: number) => ({ projectId: projectRef, ...paging(page), orderBy: 'updated_at', sort: 'asc', scope: 'all', ...(since ? { updatedAfter: since } : {}) });
    await allPages<{ iid: number; author: GlUser; updated_at: string }>(
      list,
      (page) => (kind === 'issue' ? api.Issues.all(opts(page) as never) : api.MergeRequests.all(opts(page) as never)),
      (items) => {
        store.putItems(projectId, items.map((i): ForgeItem => ({ kind, id: String(i.iid), number: i.iid, ...who(i.author), updatedAt: i.updated_at })));
        for (const i of items) {
          changed.push(i.iid);
          newest = latest(newest, i.updated_at);
        }
        if (kind === 'issue') fetched.issues += items.length;
        else fetched.pullRequests += items.length;
      },
    );
    store.setValidator(projectId, list, { since: newest, etag: null });
    return changed;
  }

  const issues = await readTop('issues', 'issue');
  const mergeRequests = await readTop('mergeRequests', 'pull');
  type Note = { id: number; author: GlUser; system?: boolean; updated_at?: string };
  for (const iid of issues) {
    await allPages<Note>('comments', (page) => api.IssueNotes.all(projectRef, iid, paging(page) as never), (notes) => {
      const mine = notes.filter((n) => !n.system);
      store.putItems(projectId, mine.map((n): ForgeItem => ({ kind: 'comment', id: String(n.id), number: iid, ...who(n.author), updatedAt: n.updated_at ?? null })));
      fetched.comments += mine.length;
    });
  }
  for (const iid of mergeRequests) {
    await allPages<Note>('reviewComments', (page) => api.MergeRequestNotes.all(projectRef, iid, paging(page) as never), (notes) => {
      const mine = notes.filter((n) => !n.system);
      store.putItems(projectId, mine.map((n): ForgeItem => ({ kind: 'review_comment', id: String(n.id), number: iid, ...who(n.author), updatedAt: n.updated_at ?? null })));
      fetched.reviewComments += mine.length;
    });
    // An approval is GitLab's submitted review.
    signal?.throwIfAborted();
    const approvals = (await api.MergeRequestApprovals.showConfiguration(projectRef, { mergerequestIId: iid } as never)) as { approved_by?: { user: GlUser }[] };
    const approvers = approvals.approved_by ?? [];
    store.putItems(projectId, approvers.map(({ user }): ForgeItem => ({ kind: 'review', id: `${iid}:${user.username}`, number: iid, ...who(user), state: 'APPROVED' })));
    fetched.reviews += approvers.length;
  }
  return { requests: http.requests, notModified: http.notModified, fetched, rate: http.rate };
}
