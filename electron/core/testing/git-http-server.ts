// A real smart-HTTP git server on 127.0.0.1 for tests and benches: `git http-backend` run as CGI over the
// repositories in a folder, with a slowed mode (progress, cancel), Basic auth (401), a 404 path, a non-git
// page, a connection that drops mid-transfer, and a minimal Git LFS batch API serving objects from the repos.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface GitHttpCredentials {
  readonly username: string;
  readonly password: string;
}

export interface GitHttpServerOptions {
  /** The folder whose repositories are served: `<root>/<name>.git` (bare) or `<root>/<name>` (with `.git`). */
  readonly root: string;
  /** A pause before each chunk of a response body, in ms. */
  readonly delayMs?: number;
  /** Throttles response bodies to about this many bytes per second. */
  readonly bytesPerSecond?: number;
  /** The size of the chunks a slowed response is written in (default 16 KiB). */
  readonly chunkBytes?: number;
  /** Answers 401 with `WWW-Authenticate: Basic` to any request without these credentials. */
  readonly requireAuth?: GitHttpCredentials;
  /** Cuts the connection after sending this many bytes of a pack (an upload-pack response): a dropped transfer. */
  readonly dropAfterBytes?: number;
}

export interface ServedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  readonly port: number;
  /** The clone URL of a served repository, optionally with credentials in it. */
  url(repo: string, credentials?: GitHttpCredentials): string;
  /** A URL under which every request answers 404. */
  readonly notFoundUrl: string;
  /** A URL that answers 200 with an HTML page, as a web server that is not a git server does. */
  readonly notGitUrl: string;
  /** Every request served so far, in order. */
  readonly requests: readonly ServedRequest[];
  close(): Promise<void>;
}

const LFS_TYPE = 'application/vnd.git-lfs+json';
const POSIX = process.platform !== 'win32';

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const root = fs.realpathSync(options.root);
  const requests: ServedRequest[] = [];
  const children = new Set<ChildProcess>();
  let baseUrl = '';

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.on('finish', () => requests.push({ method: req.method ?? 'GET', path: url.pathname, status: res.statusCode }));
    res.on('close', () => {
      if (!res.writableFinished) requests.push({ method: req.method ?? 'GET', path: url.pathname, status: res.statusCode });
    });

    if (options.requireAuth && !authorized(req, options.requireAuth)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="modelcommons-test"', 'Content-Type': 'text/plain' });
      res.end('Authentication required\n');
      return;
    }
    if (url.pathname.startsWith('/404/')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not Found\n');
      return;
    }
    if (url.pathname.startsWith('/plain/')) {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>Not git</title><p>A web page, not a git server.</p>\n');
      return;
    }
    const lfs = /^\/(.+?)\/info\/lfs\/objects\/(batch|[0-9a-f]{64})$/.exec(url.pathname);
    if (lfs) {
      serveLfs(req, res, lfs[1]!, lfs[2]!);
      return;
    }
    runBackend(req, res, url);
  });

  /** Finds a served repository from the name in a URL (`x`, `x.git`), never outside the root. */
  function repoDir(name: string): string | null {
    for (const candidate of [name, `${name}.git`, name.replace(/\.git$/, '')]) {
      const dir = path.resolve(root, candidate);
      if (!dir.startsWith(root + path.sep)) return null;
      if (fs.existsSync(dir)) return dir;
    }
    return null;
  }

  function serveLfs(req: http.IncomingMessage, res: http.ServerResponse, repo: string, what: string): void {
    const dir = repoDir(repo);
    const objectPath = (oid: string) =>
      dir ? [path.join(dir, 'lfs', 'objects'), path.join(dir, '.git', 'lfs', 'objects')].map((base) => path.join(base, oid.slice(0, 2), oid.slice(2, 4), oid)).find((p) => fs.existsSync(p)) ?? null : null;
    if (what !== 'batch') {
      const file = objectPath(what);
      if (!file) {
        res.writeHead(404, { 'Content-Type': LFS_TYPE });
        res.end(JSON.stringify({ message: 'Object does not exist' }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': fs.statSync(file).size });
      void pipeSlowly(fs.createReadStream(file), res, Infinity);
      return;
    }
    const body: Buffer[] = [];
    req.on('data', (b: Buffer) => body.push(b));
    req.on('end', () => {
      let request: { operation?: string; objects?: { oid: string; size: number }[] };
      try {
        request = JSON.parse(Buffer.concat(body).toString('utf8')) as typeof request;
      } catch {
        res.writeHead(422, { 'Content-Type': LFS_TYPE });
        res.end(JSON.stringify({ message: 'Bad JSON' }));
        return;
      }
      if (!dir || request.operation !== 'download') {
        res.writeHead(dir ? 403 : 404, { 'Content-Type': LFS_TYPE });
        res.end(JSON.stringify({ message: dir ? 'Only downloads are served' : 'Repository not found' }));
        return;
      }
      const objects = (request.objects ?? []).map(({ oid, size }) =>
        /^[0-9a-f]{64}$/.test(oid) && objectPath(oid)
          ? { oid, size, authenticated: true, actions: { download: { href: `${baseUrl}/${repo}/info/lfs/objects/${oid}`, header: forwardAuth(req) } } }
          : { oid, size, error: { code: 404, message: 'Object does not exist' } },
      );
      res.writeHead(200, { 'Content-Type': LFS_TYPE });
      res.end(JSON.stringify({ transfer: 'basic', objects }));
    });
  }

  function runBackend(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: POSIX ? '/dev/null' : 'NUL',
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GATEWAY_INTERFACE: 'CGI/1.1',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
      ...(typeof req.headers['git-protocol'] === 'string' ? { HTTP_GIT_PROTOCOL: req.headers['git-protocol'] } : {}),
      ...(options.requireAuth ? { REMOTE_USER: options.requireAuth.username } : {}),
    };
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: POSIX });
    children.add(child);
    const kill = () => {
      try {
        if (POSIX && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    child.on('close', () => children.delete(child));
    child.on('error', () => {
      if (!res.headersSent) res.writeHead(500).end();
    });
    child.stderr.resume();
    child.stdin.on('error', () => undefined);
    req.pipe(child.stdin);
    res.on('close', () => {
      if (!res.writableFinished) kill(); // the client went away (a cancelled clone): stop serving it
    });
    const isPack = /\/git-upload-pack$/.test(url.pathname) && req.method === 'POST';
    void respond(child, res, isPack ? (options.dropAfterBytes ?? Infinity) : Infinity).catch(() => {
      kill();
      res.destroy();
    });
  }

  /** Parses the CGI header block off http-backend's stdout, then streams the body out, slowed if asked. */
  async function respond(child: ChildProcess, res: http.ServerResponse, dropAfter: number): Promise<void> {
    let head = Buffer.alloc(0);
    const chunks = (child.stdout as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      head = Buffer.concat([head, next.value]);
      const end = headerEnd(head);
      if (end === null) continue;
      const { status, headers } = parseCgiHeaders(head.subarray(0, end.at).toString('latin1'));
      res.writeHead(status, headers);
      await pipeSlowly(continueWith(head.subarray(end.at + end.length), chunks), res, dropAfter);
      return;
    }
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
    res.end();
  }

  async function pipeSlowly(body: AsyncIterable<Buffer>, res: http.ServerResponse, dropAfter: number): Promise<void> {
    const slow = (options.delayMs ?? 0) > 0 || (options.bytesPerSecond ?? 0) > 0;
    const size = options.chunkBytes ?? 16 * 1024;
    let sent = 0;
    for await (const chunk of body) {
      const pieces = slow || Number.isFinite(dropAfter) ? split(chunk, size) : [chunk];
      for (const piece of pieces) {
        if (res.destroyed) return;
        if (slow) await sleep((options.delayMs ?? 0) + (options.bytesPerSecond ? (piece.length / options.bytesPerSecond) * 1000 : 0));
        if (sent + piece.length > dropAfter) {
          res.write(piece.subarray(0, Math.max(0, dropAfter - sent)));
          res.destroy(); // mid-body: the client sees the connection drop
          return;
        }
        sent += piece.length;
        if (!res.write(piece)) await new Promise((r) => res.once('drain', r));
      }
    }
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    port,
    url: (repo, credentials) =>
      credentials
        ? `http://${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${repo}`
        : `${baseUrl}/${repo}`,
    notFoundUrl: `${baseUrl}/404/missing.git`,
    notGitUrl: `${baseUrl}/plain/site`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const child of children) {
          try {
            if (POSIX && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
            else child.kill('SIGKILL');
          } catch {
            // already gone
          }
        }
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function authorized(req: http.IncomingMessage, expected: GitHttpCredentials): boolean {
  const header = req.headers.authorization ?? '';
  const m = /^Basic\s+(\S+)$/i.exec(header);
  if (!m) return false;
  return Buffer.from(m[1]!, 'base64').toString('utf8') === `${expected.username}:${expected.password}`;
}

/** The Authorization an LFS client sent to the batch API, handed back for the object downloads. */
function forwardAuth(req: http.IncomingMessage): Record<string, string> {
  return req.headers.authorization ? { Authorization: req.headers.authorization } : {};
}

function headerEnd(buf: Buffer): { at: number; length: number } | null {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { at: crlf, length: 4 };
  if (lf !== -1) return { at: lf, length: 2 };
  return null;
}

/** `Status: 404 Not Found` plus the other headers of a CGI response. */
export function parseCgiHeaders(block: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers };
}

async function* continueWith(first: Buffer, rest: AsyncIterator<Buffer>): AsyncIterable<Buffer> {
  if (first.length) yield first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

function split(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Puts a bare copy of `source` in the served folder as `<name>.git` (with any LFS objects of `source`), and
 * returns its folder. Uses the async child API: the server runs in this process and must keep answering.
 */
export async function serveRepository(servedRoot: string, name: string, source: string): Promise<string> {
  const target = path.join(servedRoot, `${name}.git`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('git', ['-c', 'core.hooksPath=/dev/null', 'clone', '-q', '--bare', '--no-local', '--', source, target], {
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: POSIX ? '/dev/null' : 'NUL', GIT_LFS_SKIP_SMUDGE: '1' },
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git clone --bare exited with ${code}`))));
  });
  const lfs = path.join(source, '.git', 'lfs', 'objects');
  if (fs.existsSync(lfs)) fs.cpSync(lfs, path.join(target, 'lfs', 'objects'), { recursive: true });
  return target;
}

/** The pointer text Git LFS commits in place of `content`. */
export function lfsPointer(content: Buffer | string): { oid: string; size: number; text: string } {
  const bytes = Buffer.from(content);
  const oid = crypto.createHash('sha256').update(bytes).digest('hex');
  return { oid, size: bytes.length, text: `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${bytes.length}\n` };
}

/** Stores `content` where git-lfs keeps it in a working repository, and returns the pointer to commit. */
export function storeLfsObject(repoDir: string, content: Buffer | string): string {
  const { oid, text } = lfsPointer(content);
  const dir = path.join(repoDir, '.git', 'lfs', 'objects', oid.slice(0, 2), oid.slice(2, 4));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, oid), content);
  return text;
}
