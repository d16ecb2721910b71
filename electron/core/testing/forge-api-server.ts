// A real HTTP server on 127.0.0.1 that answers like GitHub's REST API v3 (Link-header pagination, ETag and
// If-None-Match → 304, x-ratelimit-* headers, a 403 with retry-after for a secondary rate limit, a primary
// limit with x-ratelimit-reset) and like GitLab's v4 (x-next-page / x-total-pages / Link; a weak ETag over the
// body, as GitLab's Rack::ETag sends, and If-None-Match → 304 as Rack::ConditionalGet answers it; an approval is a
// system note too), over one scripted community the test can grow between syncs. Every request is recorded with
// its auth header.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUser {
  readonly login: string;
  readonly name?: string;
  readonly bot?: boolean;
}

/** `createdAt` (when opened or written) is `updatedAt` when left out. */
export interface FakeCommunity {
  issues: { number: number; user: FakeUser; pull?: boolean; updatedAt: string; createdAt?: string }[];
  comments: { id: number; issue: number; user: FakeUser; updatedAt: string; createdAt?: string }[];
  reviews: { id: number; pull: number; user: FakeUser; state: string; submittedAt: string }[];
  reviewComments: { id: number; pull: number; user: FakeUser; updatedAt: string; createdAt?: string }[];
  commits: { sha: string; login: string | null; name: string; email: string; date: string }[];
}

export type FakeFailure = 'secondary-403' | 'primary-403' | 'gitlab-429';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  readonly status: number;
  /** The Authorization (GitHub) or PRIVATE-TOKEN (GitLab) header as received, or null. */
  readonly auth: string | null;
  readonly ifNoneMatch: string | null;
}

export interface ForgeApiServer {
  /** `http://127.0.0.1:<port>` (GitHub's API base; GitLab's host, its API under /api/v4). */
  readonly baseUrl: string;
  readonly community: FakeCommunity;
  readonly requests: RecordedRequest[];
  /** The next request whose path matches answers this failure once (then normal). */
  failOnce(pathPart: string, failure: FakeFailure): void;
  /** Link headers point at this origin instead of the server's own (a hostile or broken server). */
  linkOrigin: string | null;
  close(): Promise<void>;
}

export function emptyCommunity(): FakeCommunity {
  return { issues: [], comments: [], reviews: [], reviewComments: [], commits: [] };
}

const ghUser = (u: FakeUser) => ({ login: u.login, id: hashNumber(u.login), type: u.bot ? 'Bot' : 'User' });
const glUser = (u: FakeUser) => ({ username: u.login, id: hashNumber(u.login), name: u.name ?? u.login, bot: u.bot === true });
function hashNumber(s: string): number {
  return crypto.createHash('sha1').update(s).digest().readUInt32BE(0);
}

export async function startForgeApiServer(community: FakeCommunity = emptyCommunity(), perPageMax = 100): Promise<ForgeApiServer> {
  const requests: RecordedRequest[] = [];
  const failures: { pathPart: string; failure: FakeFailure }[] = [];
  let remaining = 5000;
  // Timestamps parsed once each: a bench community has tens of thousands, sorted on every request.
  const parsed = new Map<string, number>();
  // Sorted copies of the community's lists, redone when a list grows (tests only ever push).
  const sortedCache = new WeakMap<object, { length: number; sorted: unknown[] }>();
  const msOf = (iso: string) => {
    let ms = parsed.get(iso);
    if (ms === undefined) parsed.set(iso, (ms = Date.parse(iso)));
    return ms;
  };
  // Filled in once the server listens (its port decides baseUrl); the handler reads it per request.
  const state: { -readonly [K in keyof ForgeApiServer]: ForgeApiServer[K] } = {
    baseUrl: '',
    community,
    requests,
    linkOrigin: null,
    failOnce: (pathPart, failure) => void failures.push({ pathPart, failure }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const auth = (req.headers.authorization as string | undefined) ?? (req.headers['private-token'] as string | undefined) ?? null;
    const ifNoneMatch = (req.headers['if-none-match'] as string | undefined) ?? null;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      requests.push({ method: req.method ?? 'GET', url: url.pathname + url.search, status, auth, ifNoneMatch });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(body === null ? undefined : JSON.stringify(body));
    };
    const rate = () => ({
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    });
    const failAt = failures.findIndex((f) => url.pathname.includes(f.pathPart));
    if (failAt >= 0) {
      const { failure } = failures.splice(failAt, 1)[0]!;
      if (failure === 'secondary-403') {
        return send(403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { ...rate(), 'retry-after': '1' });
      }
      if (failure === 'primary-403') {
        return send(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1) });
      }
      return send(429, { message: '429 Too Many Requests' }, { 'retry-after': '1', 'ratelimit-remaining': '0' });
    }
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30) || 30, perPageMax);
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const origin = state.linkOrigin ?? state.baseUrl;
    const pageOf = <T>(all: T[]) => all.slice((page - 1) * perPage, page * perPage);
    const lastPage = (n: number) => Math.max(1, Math.ceil(n / perPage));
    const linkTo = (p: number) => {
      const next = new URL(url.pathname + url.search, origin);
      next.searchParams.set('page', String(p));
      return next.toString();
    };

    /** GitHub: a page, its Link header, an ETag over the body, 304 when If-None-Match matches (no rate cost). */
    const github = <T, U>(all: T[], shape: (item: T) => U) => {
      const body = pageOf(all).map(shape);
      const etag = `W/"${crypto.createHash('sha256').update(JSON.stringify(body)).update(url.search).digest('hex').slice(0, 32)}"`;
      if (ifNoneMatch === etag) return send(304, null, { etag, ...rate() });
      remaining = Math.max(0, remaining - 1);
      const links: string[] = [];
      const last = lastPage(all.length);
      if (page < last) links.push(`<${linkTo(page + 1)}>; rel="next"`, `<${linkTo(last)}>; rel="last"`);
      if (page > 1) links.push(`<${linkTo(1)}>; rel="first"`, `<${linkTo(page - 1)}>; rel="prev"`);
      return send(200, body, { etag, ...rate(), ...(links.length ? { link: links.join(', ') } : {}) });
    };
    /**
     * GitLab: a JSON body with a weak ETag over it (Rack::ETag: the body's digest, so the same answer has the same
     * ETag whatever the query), 304 without a body when If-None-Match matches. GitLab's rate limit counts every
     * request, a 304 too; what the 304 saves is the body and the work on it.
     */
    const gitlabJson = (body: unknown, headers: Record<string, string>) => {
      const etag = `W/"${crypto.createHash('md5').update(JSON.stringify(body)).digest('hex')}"`;
      remaining = Math.max(0, remaining - 1);
      const rateHeaders = { 'ratelimit-limit': '2000', 'ratelimit-remaining': String(remaining), 'ratelimit-reset': String(Math.floor(Date.now() / 1000) + 60) };
      if (ifNoneMatch !== null && ifNoneMatch.split(/\s*,\s*/).includes(etag)) return send(304, null, { etag, ...rateHeaders });
      return send(200, body, { etag, ...rateHeaders, ...headers });
    };
    /** GitLab: a page with x-page / x-next-page / x-total-pages (and Link, as GitLab sends both). */
    const gitlab = <T, U>(all: T[], shape: (item: T) => U) => {
      const last = lastPage(all.length);
      const headers: Record<string, string> = {
        'x-page': String(page), 'x-per-page': String(perPage), 'x-total': String(all.length), 'x-total-pages': String(last),
        'x-next-page': page < last ? String(page + 1) : '', 'x-prev-page': page > 1 ? String(page - 1) : '',
      };
      if (page < last) headers.link = `<${linkTo(page + 1)}>; rel="next"`;
      return gitlabJson(pageOf(all).map(shape), headers);
    };
    const since = (key: 'since' | 'updated_after') => url.searchParams.get(key);
    const after = <T>(items: T[], at: (i: T) => string, from: string | null) => {
      if (!from) return items;
      const since = msOf(from);
      return items.filter((i) => msOf(at(i)) >= since);
    };
    const byUpdate = <T extends { updatedAt: string }>(items: T[]) => {
      const hit = sortedCache.get(items);
      if (hit && hit.length === items.length) return hit.sorted as T[];
      const sorted = [...items].sort((a, b) => msOf(a.updatedAt) - msOf(b.updatedAt));
      sortedCache.set(items, { length: items.length, sorted });
      return sorted;
    };
    const c = state.community;
    let m: RegExpExecArray | null;
    const p = url.pathname;

    if (/^\/repos\/[^/]+\/[^/]+\/issues$/.test(p)) {
      return github(after(byUpdate(c.issues), (i) => i.updatedAt, since('since')), (i) => ({
        number: i.number, user: ghUser(i.user), updated_at: i.updatedAt, created_at: i.createdAt ?? i.updatedAt, title: `#${i.number}`,
        ...(i.pull ? { pull_request: { url: `${state.baseUrl}/repos/o/r/pulls/${i.number}` } } : {}),
      }));
    }
    if (/^\/repos\/[^/]+\/[^/]+\/issues\/comments$/.test(p)) {
      return github(after(byUpdate(c.comments), (i) => i.updatedAt, since('since')), (x) => ({
        id: x.id, user: ghUser(x.user), issue_url: `${state.baseUrl}/repos/o/r/issues/${x.issue}`, updated_at: x.updatedAt, created_at: x.createdAt ?? x.updatedAt,
      }));
    }
    if (/^\/repos\/[^/]+\/[^/]+\/pulls\/comments$/.test(p)) {
      return github(after(byUpdate(c.reviewComments), (i) => i.updatedAt, since('since')), (x) => ({
        id: x.id, user: ghUser(x.user), pull_request_url: `${state.baseUrl}/repos/o/r/pulls/${x.pull}`, updated_at: x.updatedAt, created_at: x.createdAt ?? x.updatedAt,
      }));
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)\/reviews$/.exec(p))) {
      const n = Number(m[1]);
      return github(c.reviews.filter((r) => r.pull === n), (r) => ({ id: r.id, user: ghUser(r.user), state: r.state, submitted_at: r.submittedAt }));
    }
    if (/^\/repos\/[^/]+\/[^/]+\/commits$/.test(p)) {
      const list = after([...c.commits].sort((a, b) => msOf(b.date) - msOf(a.date)), (x) => x.date, since('since'));
      return github(list, (x) => ({
        sha: x.sha, author: x.login ? { login: x.login, type: 'User' } : null,
        commit: { author: { name: x.name, email: x.email, date: x.date }, committer: { name: x.name, email: x.email, date: x.date } },
      }));
    }
    // GitLab v4: the project id is the URL-encoded path.
    if ((m = /^\/api\/v4\/projects\/([^/]+)\/(issues|merge_requests)$/.exec(p))) {
      const pulls = m[2] === 'merge_requests';
      const list = after(byUpdate(c.issues.filter((i) => !!i.pull === pulls)), (i) => i.updatedAt, since('updated_after'));
      return gitlab(list, (i) => ({ iid: i.number, id: i.number + 100000, author: glUser(i.user), updated_at: i.updatedAt, created_at: i.createdAt ?? i.updatedAt }));
    }
    if ((m = /^\/api\/v4\/projects\/([^/]+)\/(issues|merge_requests)\/(\d+)\/notes$/.exec(p))) {
      const n = Number(m[3]);
      const notes = m[2] === 'issues' ? c.comments.filter((x) => x.issue === n) : c.reviewComments.filter((x) => x.pull === n);
      // GitLab adds system notes ("changed the description", "approved this merge request"); they are not people talking.
      const at = '2026-01-01T00:00:00Z';
      const system = [{ id: 900000 + n, author: glUser({ login: 'root' }), system: true, created_at: at, updated_at: at, body: 'changed the description' }];
      if (m[2] === 'merge_requests') {
        for (const r of c.reviews.filter((x) => x.pull === n && x.state === 'APPROVED')) {
          system.push({ id: 800000 + r.id, author: glUser(r.user), system: true, created_at: r.submittedAt, updated_at: r.submittedAt, body: 'approved this merge request' });
        }
      }
      const people = notes.map((x) => ({ id: x.id, author: glUser(x.user), system: false, created_at: x.createdAt ?? x.updatedAt, updated_at: x.updatedAt, body: 'a note' }));
      return gitlab([...people, ...system], (x) => x);
    }
    if ((m = /^\/api\/v4\/projects\/([^/]+)\/merge_requests\/(\d+)\/approvals$/.exec(p))) {
      const n = Number(m[2]);
      const approvers = c.reviews.filter((r) => r.pull === n && r.state === 'APPROVED');
      return gitlabJson({ iid: n, approved_by: approvers.map((r) => ({ user: glUser(r.user) })) }, {});
    }
    return send(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  state.baseUrl = `http://127.0.0.1:${port}`;
  return state;
}
