// Hostile request bodies against a real `modelcommons serve` process: 600 MB bodies (streamed, never allocated
// here) are answered 413 before they finish, the server's RSS stays bounded, and malformed escapes are a 400.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../core/services.js';
import { tempDir } from '../core/testing/git-fixtures.js';
import { startServer, type RunningServer } from './loopback-server.js';

const cliSource = fileURLToPath(new URL('../cli/cli.ts', import.meta.url));
const root = tempDir('mc-server-limits-');
let child: ChildProcess;
let port = 0;
let token = '';

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', cliSource, 'serve', '--port', '0'], {
    env: { ...process.env, MODELCOMMONS_HOME: path.join(root, 'home') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out);
      if (m) resolve(new URL(m[0]));
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  port = Number(url.port);
  token = url.searchParams.get('token')!;
});
afterAll(() => {
  child.kill('SIGTERM');
  fs.rmSync(root, { recursive: true, force: true });
});

const MB = 1024 * 1024;
const chunk = Buffer.alloc(MB, 0x20); // one reused megabyte of spaces: the client never holds the body

interface Sent {
  readonly status: number;
  readonly body: string;
  /** Bytes of the body written when the answer's head arrived. */
  readonly sentWhenAnswered: number;
}

/** POSTs `total` bytes as a stream (with or without a Content-Length), stopping when the server answers. */
function streamBody(p: string, total: number, withLength: boolean, cookieOrPort: { port: number; cookie?: string } = { port, cookie: `modelcommons_token=${token}` }): Promise<Sent> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request({
      host: '127.0.0.1',
      port: cookieOrPort.port,
      path: p,
      method: 'POST',
      headers: { ...(cookieOrPort.cookie ? { Cookie: cookieOrPort.cookie } : {}), ...(withLength ? { 'Content-Length': String(total) } : {}) },
    });
    req.on('response', (res) => {
      answered = true;
      const sentWhenAnswered = sent;
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sentWhenAnswered }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body, sentWhenAnswered }));
    });
    // Once answered, a reset of the rest of the upload is expected.
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const pump = () => {
      while (!answered && sent < total) {
        const n = Math.min(chunk.length, total - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      if (!answered || sent >= total) req.end();
    };
    pump();
  });
}

function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

function get(p: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: p, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

describe.runIf(process.platform === 'linux')('request bodies against a real serve process', () => {
  it('answers 600 MB bodies 413 before they finish, four at a time, with the RSS bounded', async () => {
    const before = rssBytes(child.pid!);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(child.pid!))), 20);
    try {
      const declared = await streamBody('/api/invoke/app:info', 600 * MB, true);
      expect(declared.status).toBe(413);
      expect(declared.body).toMatch(/^413: Request body too large: 600 MB declared, the limit is 512 MB/);
      expect(declared.sentWhenAnswered).toBeLessThan(600 * MB);

      const chunked = await streamBody('/api/invoke/app:info', 600 * MB, false);
      expect(chunked.status).toBe(413);
      expect(chunked.body).toMatch(/without a Content-Length may be at most 16 MB/);
      expect(chunked.sentWhenAnswered).toBeLessThan(600 * MB);

      const parallel = await Promise.all([true, false, true, false].map((withLength) => streamBody('/api/invoke/app:info', 600 * MB, withLength)));
      expect(parallel.map((r) => r.status)).toEqual([413, 413, 413, 413]);
    } finally {
      clearInterval(sampler);
    }
    if (process.env.MC_PRINT_RSS) console.log(`serve RSS before ${(before / MB).toFixed(0)} MB, peak growth ${((peak - before) / MB).toFixed(1)} MB`);
    // A generous bound: the server holds at most a chunked cap per request, not the bodies.
    expect(peak - before).toBeLessThan(300 * MB);
    // And it still answers.
    const ok = await streamBody('/api/invoke/app:info', 2, true);
    expect(ok.status).toBe(200);
  });

  it('answers a malformed %-escape with 400 and a malformed cookie with 401, not 500', async () => {
    const bad = await streamBody('/api/invoke/%E0%A4%A', 2, true);
    expect(bad.status).toBe(400);
    expect(await get('/', { Cookie: 'modelcommons_token=%E0%A4%A' })).toBe(401);
    expect(await get(`/assets/%E0%A4%A.js?token=${token}`)).toBe(404);
  });
});

describe('the bound on bytes in flight across requests', () => {
  let services: Services;
  let server: RunningServer;
  const home = path.join(root, 'in-process');

  beforeAll(async () => {
    services = createServices({ home, version: 'test' });
    server = await startServer({
      services,
      rendererDir: path.join(root, 'no-renderer'),
      bodyLimits: { maxBody: 1 * MB, maxChunkedBody: 256 * 1024, maxInFlight: 1.5 * MB },
    });
  });
  afterAll(async () => {
    await server.close();
    services.close();
  });

  it('answers 503 while other requests hold the budget, and takes the request once they are done', async () => {
    const cookie = `modelcommons_token=${server.token}`;
    // A first request declares 1 MB and sends half: it holds 1 MB of the 1.5 MB budget until it completes.
    const first = http.request({ host: '127.0.0.1', port: server.port, path: '/api/invoke/app:info', method: 'POST', headers: { Cookie: cookie, 'Content-Length': String(MB) } });
    const firstDone = new Promise<number>((resolve, reject) => {
      first.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      first.on('error', reject);
    });
    const json = Buffer.from(`{}${' '.repeat(MB - 2)}`);
    first.write(json.subarray(0, MB / 2));
    await new Promise((r) => setTimeout(r, 100));

    const second = await streamBody('/api/invoke/app:info', MB, true, { port: server.port, cookie });
    expect(second.status).toBe(503);
    expect(second.body).toMatch(/^503: The server is already receiving/);

    first.end(json.subarray(MB / 2));
    expect(await firstDone).toBe(200);
    const third = await streamBody('/api/invoke/app:info', 2, true, { port: server.port, cookie });
    expect(third.status).toBe(200);
  });
});
