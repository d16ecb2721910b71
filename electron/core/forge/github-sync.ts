// Reads a GitHub repository's issues, pull requests, comments, reviews and commit authors through the REST API
// v3 (@octokit/rest with the throttling and retry plugins) into the store, incrementally: each list is asked
// for what changed since the last sync, with the stored ETag (a 304 costs no rate limit); 403/429 rate limits
// wait as the server says (retry-after, x-ratelimit-reset).
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { ForgeCounts, ForgeTarget } from '../../../shared/forge.js';
import { ForgeHttp, latest, type SyncContext } from './forge-http.js';
import type { CommitAuthor, ForgeItem, ForgeRepository } from './forge-repository.js';

const PER_PAGE = 100;
/** How often one request waits for a rate limit before the sync gives up. */
const RATE_RETRIES = 3;

const GitHubClient = Octokit.plugin(throttling, retry);
type GitHubClient = InstanceType<typeof GitHubClient>;

export interface GitHubSyncInput extends SyncContext {
  readonly projectId: string;
  readonly target: ForgeTarget;
  readonly token: string | null;
  readonly store: ForgeRepository;
}

export interface ForgeSyncOutcome {
  readonly requests: number;
  readonly notModified: number;
  readonly fetched: ForgeCounts;
  readonly rate: ForgeHttp['rate'];
}

interface GhUser {
  login: string;
  type?: string;
}

/** "OWNER/REPO" → its parts, or a one-line error naming the value. */
function splitGitHubRepo(repo: string): { owner: string; repo: string } {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repo.trim());
  if (!m) throw new RangeError(`GitHub repository must be OWNER/REPO, not "${repo}"`);
  return { owner: m[1]!, repo: m[2]!.replace(/\.git$/, '') };
}

const userOf = (u: GhUser | null | undefined) => ({ author: u?.login ?? 'ghost', authorBot: u?.type === 'Bot' });
/** The number at the end of an issue_url / pull_request_url. */
const numberAt = (url: string) => Number(url.slice(url.lastIndexOf('/') + 1));

export async function syncGitHub(input: GitHubSyncInput): Promise<ForgeSyncOutcome> {
  const { projectId, target, store, signal } = input;
  const { owner, repo } = splitGitHubRepo(target.repo);
  const http = new ForgeHttp(target.apiUrl, input);
  const log = input.log ?? (() => {});
  const waitOrGiveUp = (kind: string) => (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
    const wait = retryCount < RATE_RETRIES && !signal?.aborted;
    log(`GitHub ${kind} rate limit on ${options.method ?? 'GET'} ${options.url ?? ''}: ${wait ? `waiting ${retryAfter} s` : 'giving up'}`);
    if (wait) http.progress('rate-limit', 0, retryAfter);
    return wait;
  };
  const octokit: GitHubClient = new GitHubClient({
    ...(input.token ? { auth: input.token } : {}),
    baseUrl: target.apiUrl.replace(/\/+$/, ''),
    userAgent: 'modelcommons',
    request: { fetch: http.fetch },
    // Octokit's own lines (every failed request, 304s included) are noise here; the waits are said above.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    throttle: { onRateLimit: waitOrGiveUp('primary'), onSecondaryRateLimit: waitOrGiveUp('secondary') },
    retry: { doNotRetry: [304, 400, 401, 403, 404, 410, 422, 429, 451] },
  });
  const fetched: ForgeCounts = { issues: 0, pullRequests: 0, comments: 0, reviews: 0, reviewComments: 0, commits: 0 };

  /**
   * One list: the first page conditional on the stored ETag (same `since` as when it was stored); on a 304
   * nothing else is asked. Otherwise every page (Link rel="next") is read, `since` moves to the newest item,
   * and the first page for the new `since` is asked once more for its ETag, so that the next sync with nothing
   * new costs this one conditional request.
   */
  async function readList<T>(list: string, route: string, params: Record<string, unknown>, handle: (page: T[], count: boolean) => string | null, sinceParam = true): Promise<boolean> {
    const stored = store.validator(projectId, list);
    const first = async (since: string | null, etag: string | null) => {
      try {
        return await octokit.request(route, {
          owner, repo, per_page: PER_PAGE, ...params,
          ...(sinceParam && since ? { since } : {}),
          headers: etag ? { 'if-none-match': etag } : {},
        });
      } catch (err) {
        if ((err as { status?: number }).status === 304) return null;
        throw err;
      }
    };
    const res = await first(stored?.since ?? null, stored?.etag ?? null);
    if (res === null) {
      http.progress(list, 0);
      return false;
    }
    let since = stored?.since ?? null;
    let count = 0;
    let page: { data: unknown; headers: Record<string, unknown> } = res;
    for (;;) {
      const data = page.data as T[];
      since = latest(since, handle(data, true));
      count += data.length;
      http.progress(list, count);
      const next = /<([^>]+)>;\s*rel="next"/.exec(String(page.headers.link ?? ''))?.[1];
      if (!next) break;
      page = await octokit.request(`GET ${next}`);
    }
    let etag = typeof res.headers.etag === 'string' ? res.headers.etag : null;
    if (sinceParam && since !== (stored?.since ?? null)) {
      const again = await first(since, null);
      const e = again?.headers.etag;
      // Items changed since the pass are in this answer: kept (not counted twice). With more than a page of
      // them, no ETag is kept, so that the next sync reads them all.
      etag = typeof e === 'string' && !/rel="next"/.test(String(again?.headers.link ?? '')) ? e : null;
      if (again) handle(again.data as T[], false);
    }
    store.setValidator(projectId, list, { since: sinceParam ? since : null, etag });
    return true;
  }

  const changedPulls = new Set(store.pendingReviews(projectId));
  await readList<{ number: number; user: GhUser | null; pull_request?: unknown; updated_at: string; created_at?: string }>(
    'issues', 'GET /repos/{owner}/{repo}/issues', { state: 'all', sort: 'updated', direction: 'asc' },
    (page, count) => {
      const known = store.pullUpdatedAt(projectId);
      const items: ForgeItem[] = page.map((i) => ({ kind: i.pull_request ? 'pull' : 'issue', id: String(i.number), number: i.number, ...userOf(i.user), updatedAt: i.updated_at, createdAt: i.created_at ?? null }));
      for (const i of page) if (i.pull_request && known.get(i.number) !== i.updated_at) changedPulls.add(i.number);
      store.setPendingReviews(projectId, [...changedPulls]);
      if (count) fetched.issues += items.filter((i) => i.kind === 'issue').length;
      if (count) fetched.pullRequests += items.filter((i) => i.kind === 'pull').length;
      store.putItems(projectId, items);
      return page.reduce<string | null>((m, i) => latest(m, i.updated_at), null);
    },
  );
  await readList<{ id: number; user: GhUser | null; issue_url: string; updated_at: string; created_at?: string }>(
    'comments', 'GET /repos/{owner}/{repo}/issues/comments', { sort: 'updated', direction: 'asc' },
    (page, count) => {
      store.putItems(projectId, page.map((c) => ({ kind: 'comment', id: String(c.id), number: numberAt(c.issue_url), ...userOf(c.user), updatedAt: c.updated_at, createdAt: c.created_at ?? null })));
      if (count) fetched.comments += page.length;
      return page.reduce<string | null>((m, c) => latest(m, c.updated_at), null);
    },
  );
  await readList<{ id: number; user: GhUser | null; pull_request_url: string; updated_at: string; created_at?: string }>(
    'reviewComments', 'GET /repos/{owner}/{repo}/pulls/comments', { sort: 'updated', direction: 'asc' },
    (page, count) => {
      store.putItems(projectId, page.map((c) => ({ kind: 'review_comment', id: String(c.id), number: numberAt(c.pull_request_url), ...userOf(c.user), updatedAt: c.updated_at, createdAt: c.created_at ?? null })));
      if (count) fetched.reviewComments += page.length;
      return page.reduce<string | null>((m, c) => latest(m, c.updated_at), null);
    },
  );
  await readList<{ author: GhUser | null; commit: { author: { name?: string; email?: string; date?: string } | null; committer: { date?: string } | null } }>(
    'commits', 'GET /repos/{owner}/{repo}/commits', {},
    (page, count) => {
      const authors: CommitAuthor[] = [];
      for (const c of page) {
        const a = c.commit.author;
        if (c.author?.login && a?.email) authors.push({ login: c.author.login, name: a.name ?? c.author.login, email: a.email });
      }
      store.putCommitAuthors(projectId, authors);
      if (count) fetched.commits += page.length;
      return page.reduce<string | null>((m, c) => latest(m, c.commit.committer?.date ?? c.commit.author?.date ?? null), null);
    },
  );
  // Reviews have no repository-wide list: each pull request changed since the last sync (a review changes its
  // updated_at) is read, with its own stored ETag.
  for (const pull of [...changedPulls].sort((a, b) => a - b)) {
    signal?.throwIfAborted();
    await readList<{ id: number; user: GhUser | null; state: string; submitted_at?: string }>(
      `reviews#${pull}`, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { pull_number: pull },
      (page, count) => {
        store.putItems(projectId, page.map((r) => ({ kind: 'review', id: String(r.id), number: pull, ...userOf(r.user), state: r.state, updatedAt: r.submitted_at ?? null, createdAt: r.submitted_at ?? null })));
        if (count) fetched.reviews += page.length;
        return null;
      },
      false,
    );
    changedPulls.delete(pull);
    store.setPendingReviews(projectId, [...changedPulls]);
  }
  return { requests: http.requests, notModified: http.notModified, fetched, rate: http.rate };
}
