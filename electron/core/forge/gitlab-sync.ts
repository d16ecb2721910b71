// Reads a GitLab project's issues, merge requests, their notes and approvals through the REST API v4
// (@gitbeaker/rest, requests through ForgeHttp) into the store, incrementally (`updated_after` the last sync;
// pages by GitLab's x-next-page header) and conditionally, as the GitHub sync does: every list's first page is
// asked with the stored ETag (If-None-Match), and a 304 ends that list with nothing to read or store. GitLab's
// commit list has no usernames, so logins are linked to git identities by the display name the API gives
// (identities.ts merges equal names).
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

/** The validator the next request is sent with, and what the last answer said: gitbeaker hides both. */
interface Conditional {
  ifNoneMatch: string | null;
  status: number;
  etag: string | null;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason as Error)), { once: true });
  });

/** gitbeaker's requester over ForgeHttp: 429 (and 403 with retry-after) wait as the server says, then retry. */
function requesterOver(http: ForgeHttp, conditional: Conditional, log: (line: string) => void, signal?: AbortSignal) {
  return createRequesterFn(
    async (_service, options) => options,
    async (endpoint, options) => {
      const { prefixUrl, searchParams, method, headers, body } = (options ?? {}) as { prefixUrl?: string; searchParams?: string; method?: string; headers?: Record<string, string>; body?: string };
      const base = prefixUrl ? (prefixUrl.endsWith('/') ? prefixUrl : `${prefixUrl}/`) : undefined;
      const url = new URL(endpoint, base);
      url.search = searchParams ?? '';
      const ifNoneMatch = conditional.ifNoneMatch;
      conditional.ifNoneMatch = null;
      const sent = { ...(headers ?? {}), ...(ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}) };
      for (let attempt = 0; ; attempt++) {
        const res = await http.fetch(url, { method: method ?? 'GET', headers: sent, ...(body ? { body } : {}) });
        conditional.status = res.status;
        conditional.etag = res.headers.get('etag');
        // Not modified: an empty page with no next one, which the caller tells by `conditional.status`.
        if (res.status === 304) return { body: [] as never, headers: {}, status: 304 };
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
  const conditional: Conditional = { ifNoneMatch: null, status: 0, etag: null };
  const api = new Gitlab({
    host: target.apiUrl.replace(/\/+$/, ''),
    ...(input.token ? { token: input.token } : { token: '' }),
    requesterFn: requesterOver(http, conditional, log, signal),
  } as ConstructorParameters<typeof Gitlab>[0]);
  const projectRef = target.repo.trim().replace(/^\/+|\/+$/g, '');
  const fetched: ForgeCounts = { issues: 0, pullRequests: 0, comments: 0, reviews: 0, reviewComments: 0, commits: 0 };

  /** One request through gitbeaker, sent with `etag` as If-None-Match; null when the server answered 304. */
  async function ask<R>(etag: string | null, get: () => Promise<unknown>): Promise<{ res: R; etag: string | null } | null> {
    signal?.throwIfAborted();
    conditional.ifNoneMatch = etag;
    const res = (await get()) as R;
    return conditional.status === 304 ? null : { res, etag: conditional.etag };
  }

  /**
   * One list, as the GitHub sync reads one: the first page conditional on the stored ETag (for the stored
   * `since`); a 304 ends it. Otherwise every page (x-next-page) is handed to `handle` (which returns the newest
   * `updated_at` it saw), and — when `since` moved — the first page for the new `since` is asked once more for
   * its ETag (its items go to `handle` with `count` false), so that a resync with nothing new costs one 304. An
   * ETag is kept only for an answer of one page: a later page may change while the first does not.
   * Returns the validator to store once what the items lead to is read (notes, approvals), or null after a 304.
   */
  async function readList<T>(
    list: string,
    get: (page: number, since: string | null) => Promise<unknown>,
    handle: (items: T[], count: boolean) => string | null,
    bySince: boolean,
  ): Promise<{ since: string | null; etag: string | null } | null> {
    const stored = store.validator(projectId, list);
    const storedSince = bySince ? (stored?.since ?? null) : null;
    const first = await ask<Paged<T>>(stored?.etag ?? null, () => get(1, storedSince));
    if (first === null) {
      http.progress(list, 0);
      return null;
    }
    let since = storedSince;
    let count = 0;
    let page = first.res;
    for (;;) {
      since = latest(since, handle(page.data, true));
      count += page.data.length;
      http.progress(list, count);
      const next = page.paginationInfo.next;
      if (!next) break;
      page = (await ask<Paged<T>>(null, () => get(next, storedSince)))!.res;
    }
    let etag = first.res.paginationInfo.next ? null : first.etag;
    if (bySince && since !== storedSince) {
      const again = (await ask<Paged<T>>(null, () => get(1, since)))!;
      handle(again.res.data, false);
      etag = again.res.paginationInfo.next ? null : again.etag;
    }
    return { since: bySince ? since : null, etag };
  }
  const who = (u: GlUser | null | undefined) => ({ author: u?.username ?? 'ghost', authorBot: u?.bot === true, authorName: u?.name ?? null });
  const paging = (page: number) => ({ perPage: PER_PAGE, page, showExpanded: true as const });

  /**
   * Issues or merge requests updated since the last sync, each changed one's `after` (its notes, approvals)
   * read, and only then the list's validator stored: a sync cut short reads the same changes next time.
   */
  async function readTop(list: 'issues' | 'mergeRequests', kind: 'issue' | 'pull', after: (iid: number) => Promise<void>): Promise<void> {
    const changed: number[] = [];
    let passNewest: string | null = null;
    const opts = (page: number, since: string | null) => ({ projectId: projectRef, ...paging(page), orderBy: 'updated_at', sort: 'asc', scope: 'all', ...(since ? { updatedAfter: since } : {}) });
    type Top = { iid: number; author: GlUser; updated_at: string; created_at?: string };
    const validator = await readList<Top>(
      list,
      (page, since) => (kind === 'issue' ? api.Issues.all(opts(page, since) as never) : api.MergeRequests.all(opts(page, since) as never)),
      (items, count) => {
        store.putItems(projectId, items.map((i): ForgeItem => ({ kind, id: String(i.iid), number: i.iid, ...who(i.author), updatedAt: i.updated_at, createdAt: i.created_at ?? null })));
        // The second look (count false) answers for the newest `since`: what changed after the pass is read too.
        for (const i of items) if (count || (passNewest !== null && Date.parse(i.updated_at) > Date.parse(passNewest))) changed.push(i.iid);
        if (count) passNewest = items.reduce<string | null>((m, i) => latest(m, i.updated_at), passNewest);
        if (count && kind === 'issue') fetched.issues += items.length;
        if (count && kind === 'pull') fetched.pullRequests += items.length;
        return items.reduce<string | null>((m, i) => latest(m, i.updated_at), null);
      },
      true,
    );
    if (validator === null) return;
    for (const iid of [...new Set(changed)]) await after(iid);
    store.setValidator(projectId, list, validator);
  }

  type Note = { id: number; author: GlUser; system?: boolean; body?: string; updated_at?: string; created_at?: string };
  /** A changed issue's or merge request's notes (system notes left out), with their own stored ETag. */
  async function readNotes(list: string, get: (page: number) => Promise<unknown>, onNotes: (notes: Note[], count: boolean) => void): Promise<void> {
    const validator = await readList<Note>(list, (page) => get(page), (notes, count) => (onNotes(notes, count), null), false);
    if (validator) store.setValidator(projectId, list, validator);
  }

  await readTop('issues', 'issue', (iid) =>
    readNotes(`notes:issue#${iid}`, (page) => api.IssueNotes.all(projectRef, iid, paging(page) as never), (notes, count) => {
      const mine = notes.filter((n) => !n.system);
      store.putItems(projectId, mine.map((n): ForgeItem => ({ kind: 'comment', id: String(n.id), number: iid, ...who(n.author), updatedAt: n.updated_at ?? null, createdAt: n.created_at ?? null })));
      if (count) fetched.comments += mine.length;
    }),
  );
  await readTop('mergeRequests', 'pull', async (iid) => {
    // GitLab records an approval as a system note too: its date is the review's date on the timeline.
    const approvedAt = new Map<string, string>();
    await readNotes(`notes:mr#${iid}`, (page) => api.MergeRequestNotes.all(projectRef, iid, paging(page) as never), (notes, count) => {
      const mine = notes.filter((n) => !n.system);
      store.putItems(projectId, mine.map((n): ForgeItem => ({ kind: 'review_comment', id: String(n.id), number: iid, ...who(n.author), updatedAt: n.updated_at ?? null, createdAt: n.created_at ?? null })));
      if (count) fetched.reviewComments += mine.length;
      for (const n of notes) {
        const by = n.author?.username;
        if (n.system && by && n.created_at && /^approved this merge request/i.test(n.body ?? '')) approvedAt.set(by, latest(approvedAt.get(by) ?? null, n.created_at)!);
      }
    });
    // An approval is GitLab's submitted review.
    const list = `approvals#${iid}`;
    const answer = await ask<{ approved_by?: { user: GlUser }[] }>(store.validator(projectId, list)?.etag ?? null, () =>
      api.MergeRequestApprovals.showConfiguration(projectRef, { mergerequestIId: iid } as never),
    );
    if (answer === null) return;
    const approvers = answer.res.approved_by ?? [];
    store.putItems(projectId, approvers.map(({ user }): ForgeItem => ({ kind: 'review', id: `${iid}:${user.username}`, number: iid, ...who(user), state: 'APPROVED', createdAt: approvedAt.get(user.username) ?? null })));
    fetched.reviews += approvers.length;
    store.setValidator(projectId, list, { since: null, etag: answer.etag });
  });
  return { requests: http.requests, notModified: http.notModified, fetched, rate: http.rate };
}
