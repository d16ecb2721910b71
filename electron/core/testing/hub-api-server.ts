// A loopback stand-in for the Hugging Face Hub, for tests and e2e: /api/models (search, library/filter, author,
// sort, limit, expand, and cursor pagination in a Link header as the real Hub answers) and /api/models/<id> in the
// Hub's JSON shapes, rate-limit and error answers on demand, and every other path handed to a real git
// http-backend (git-http-server.ts), so `<baseUrl>/<owner>/<name>` clones a model repository, LFS and all.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { git, makeRepo } from './git-fixtures.js';
import { serveRepository, startGitHttpServer, storeLfsObject, type GitHttpServer } from './git-http-server.js';

/** A Hub model's repository as the Hub keeps one: `model.keras` (the given weights) in LFS, and a README. */
export function makeLfsModelRepo(dir: string, weights: Buffer): string {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q']); // before the LFS object is stored under .git/lfs
  return makeRepo(dir, [
    {
      author: 'Keras Team',
      email: 'keras@example.org',
      message: 'Upload the MNIST convnet',
      files: { '.gitattributes': '*.keras filter=lfs diff=lfs merge=lfs -text\n', 'model.keras': storeLfsObject(dir, weights), 'README.md': '# MNIST convnet\n' },
    },
  ]);
}

export interface FakeHubModel {
  /** `owner/name` */
  readonly id: string;
  readonly library?: string;
  readonly tags?: readonly string[];
  readonly downloads?: number;
  readonly likes?: number;
  /** ISO 8601 */
  readonly lastModified?: string;
  readonly pipelineTag?: string;
  readonly files?: readonly string[];
}

export interface HubRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** The Authorization header as sent (null when none). */
  readonly auth: string | null;
}

export interface HubApiServer {
  /** `http://127.0.0.1:<port>`: the hubUrl (HF_ENDPOINT) to give the client. */
  readonly baseUrl: string;
  /** API requests only (/api/…), in order; git traffic is not listed. */
  readonly requests: readonly HubRequest[];
  readonly models: FakeHubModel[];
  /** Serves `source` (a working repository, LFS objects included) as the git repository of the model `id`. */
  serveModel(id: string, source: string): Promise<void>;
  /** The next `count` API requests answer `status` (429 with Retry-After, as the Hub's rate limit does). */
  failNext(status: number, count?: number): void;
  /** Holds every API answer this long (to cancel a search mid-way). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export interface HubApiServerOptions {
  /** The most models a page carries before a Link to the next one (the real Hub: the `limit`, up to 1000). */
  readonly pageSize?: number;
  /** Where model repositories are kept (a temp folder when absent; removed on close then). */
  readonly gitRoot?: string;
}

export async function startHubApiServer(models: FakeHubModel[] = [], options: HubApiServerOptions = {}): Promise<HubApiServer> {
  const requests: HubRequest[] = [];
  const ownRoot = options.gitRoot === undefined;
  const gitRoot = options.gitRoot ?? fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'mc-hub-git-'));
  const git: GitHttpServer = await startGitHttpServer({ root: gitRoot });
  const failures: number[] = [];
  let delayMs = 0;
  let baseUrl = '';

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith('/api/')) return proxyToGit(req, res, git.port);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, auth: req.headers.authorization ?? null });
    setTimeout(() => answerApi(url, res), delayMs);
  });

  function answerApi(url: URL, res: http.ServerResponse): void {
    const status = failures.shift();
    if (status !== undefined) {
      const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': crypto.randomUUID() };
      if (status === 429) headers['Retry-After'] = '60';
      res.writeHead(status, headers);
      res.end(JSON.stringify({ error: status === 429 ? 'You have exceeded our hourly quotas for action: api. Please retry later.' : `Server error ${status}` }));
      return;
    }
    if (url.pathname === '/api/models') return json(res, 200, ...listPage(url));
    const one = /^\/api\/models\/(.+)$/.exec(url.pathname);
    const model = one ? models.find((m) => m.id === decodeURIComponent(one[1]!)) : undefined;
    if (!model) return json(res, 404, { error: 'Repository not found' });
    json(res, 200, modelInfo(model));
  }

  /** One page of a search, and its Link header when more follow (cursor = the offset, base64 as the Hub's is opaque). */
  function listPage(url: URL): [unknown, http.OutgoingHttpHeaders] {
    const q = url.searchParams;
    const text = (q.get('search') ?? '').toLowerCase();
    const wanted = [...q.getAll('filter'), ...q.getAll('library')].map((t) => t.toLowerCase());
    const author = q.get('author');
    let found = models.filter(
      (m) =>
        m.id.toLowerCase().includes(text) &&
        (!author || m.id.startsWith(`${author}/`)) &&
        wanted.every((t) => m.library?.toLowerCase() === t || (m.tags ?? []).some((tag) => tag.toLowerCase() === t)),
    );
    const sort = q.get('sort');
    if (sort === 'downloads' || sort === 'likes') found = [...found].sort((a, b) => (b[sort] ?? 0) - (a[sort] ?? 0));
    if (sort === 'lastModified') found = [...found].sort((a, b) => lastModified(b).localeCompare(lastModified(a)));
    const limit = Math.max(1, Math.min(Number(q.get('limit') ?? 1000) || 1000, 1000, options.pageSize ?? 1000));
    const offset = q.has('cursor') ? Number(Buffer.from(q.get('cursor')!, 'base64url').toString('utf8')) || 0 : 0;
    const page = found.slice(offset, offset + limit);
    const expand = q.getAll('expand');
    const headers: http.OutgoingHttpHeaders = {};
    if (offset + limit < found.length) {
      const next = new URLSearchParams(q);
      next.set('cursor', Buffer.from(String(offset + limit)).toString('base64url'));
      headers.Link = `<${baseUrl}/api/models?${next.toString()}>; rel="next"`;
    }
    return [page.map((m) => listed(m, expand)), headers];
  }

  const listening = await new Promise<http.Server>((resolve) => {
    const s = server.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (listening.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    requests,
    models,
    async serveModel(id, source) {
      fs.mkdirSync(path.join(gitRoot, path.dirname(id)), { recursive: true });
      await serveRepository(gitRoot, id, source);
    },
    failNext(status, count = 1) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    setDelay(ms) {
      delayMs = ms;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await git.close();
      if (ownRoot) fs.rmSync(gitRoot, { recursive: true, force: true });
    },
  };
}

function lastModified(m: FakeHubModel): string {
  return m.lastModified ?? '2024-01-01T00:00:00.000Z';
}

/** A stable 24-hex `_id` as the Hub's (a MongoDB ObjectId). */
function objectId(id: string): string {
  return crypto.createHash('sha1').update(id).digest('hex').slice(0, 24);
}

/** An entry of /api/models: `_id` and `id` always, the rest as `expand` asks (all of them when it is absent). */
function listed(m: FakeHubModel, expand: readonly string[]): Record<string, unknown> {
  const all: Record<string, unknown> = {
    author: m.id.includes('/') ? m.id.split('/')[0] : null,
    private: false,
    gated: false,
    disabled: false,
    downloads: m.downloads ?? 0,
    likes: m.likes ?? 0,
    lastModified: lastModified(m),
    createdAt: '2023-06-01T00:00:00.000Z',
    library_name: m.library,
    pipeline_tag: m.pipelineTag,
    tags: [...(m.library ? [m.library] : []), ...(m.tags ?? [])],
    sha: crypto.createHash('sha1').update(`${m.id}@head`).digest('hex'),
  };
  const picked = expand.length === 0 ? all : Object.fromEntries(expand.filter((k) => k in all).map((k) => [k, all[k]]));
  for (const [k, v] of Object.entries(picked)) if (v === undefined) delete picked[k];
  return { _id: objectId(m.id), id: m.id, ...(expand.length === 0 ? { modelId: m.id } : {}), ...picked };
}

/** /api/models/<id>: the model's info with its files (`siblings`). */
function modelInfo(m: FakeHubModel): Record<string, unknown> {
  return { ...listed(m, []), siblings: (m.files ?? ['README.md']).map((rfilename) => ({ rfilename })), cardData: {}, spaces: [] };
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Hands a request to the git server as it came (method, path, headers, body), and its answer back. */
function proxyToGit(req: http.IncomingMessage, res: http.ServerResponse, gitPort: number): void {
  const upstream = http.request({ host: '127.0.0.1', port: gitPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  });
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}
