import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, tempDir } from './git-fixtures.js';
import { lfsPointer, parseCgiHeaders, serveRepository, startGitHttpServer, storeLfsObject, type GitHttpServer } from './git-http-server.js';

const execFileAsync = promisify(execFile);
const root = tempDir();
const served = path.join(root, 'served');
let plain: GitHttpServer;
let slow: GitHttpServer;
let locked: GitHttpServer;
const credentials = { username: 'grace', password: 'hopper' };

/** Async git: the server answers from this same process, so a synchronous child would block it. */
async function gitAsync(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync('git', args, {
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function request(url: string, options: http.RequestOptions = {}, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; chunks: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, options, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts), chunks: parts.length }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  fs.mkdirSync(served);
  const src = makeRepo(path.join(root, 'src'), [
    { author: 'Ada', email: 'ada@example.org', message: 'one', files: { 'a.txt': 'a\n' } },
    { author: 'Ada', email: 'ada@example.org', message: 'two', files: { 'b.txt': 'b\n' } },
  ]);
  storeLfsObject(src, 'lfs content\n');
  await serveRepository(served, 'demo', src);
  plain = await startGitHttpServer({ root: served });
  slow = await startGitHttpServer({ root: served, delayMs: 5, chunkBytes: 64 });
  locked = await startGitHttpServer({ root: served, requireAuth: credentials });
});

afterAll(async () => {
  await Promise.all([plain, slow, locked].map((s) => s?.close()));
  fs.rmSync(root, { recursive: true, force: true });
});

describe('git smart-HTTP test server', () => {
  it('serves clones and ref listings through git http-backend, logging each request', async () => {
    const dest = path.join(root, 'clone');
    const cloned = await gitAsync(['clone', '-q', plain.url('demo.git'), dest]);
    expect(cloned.code).toBe(0);
    expect(fs.readFileSync(path.join(dest, 'b.txt'), 'utf8')).toBe('b\n');
    const refs = await gitAsync(['ls-remote', plain.url('demo')]);
    expect(refs.stdout).toMatch(/^[0-9a-f]{40}\tHEAD$/m);
    expect(plain.requests).toContainEqual({ method: 'GET', path: '/demo.git/info/refs', status: 200 });
    expect(plain.requests).toContainEqual({ method: 'POST', path: '/demo.git/git-upload-pack', status: 200 });
    expect(plain.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers 404 on its not-found path and for repositories it does not have, 200 HTML on its non-git page', async () => {
    expect((await request(`${plain.notFoundUrl}/info/refs?service=git-upload-pack`)).status).toBe(404);
    expect((await request(`${plain.url('missing.git')}/info/refs?service=git-upload-pack`)).status).toBe(404);
    const page = await request(`${plain.notGitUrl}/info/refs`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html');
  });

  it('asks for Basic credentials with a 401 unless given the right ones', async () => {
    const refs = `${locked.url('demo.git')}/info/refs?service=git-upload-pack`;
    const anonymous = await request(refs);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic realm=/);
    const wrong = await request(refs, { headers: { Authorization: `Basic ${Buffer.from('grace:nope').toString('base64')}` } });
    expect(wrong.status).toBe(401);
    const right = await request(refs, { headers: { Authorization: `Basic ${Buffer.from('grace:hopper').toString('base64')}` } });
    expect(right.status).toBe(200);
    expect(right.headers['content-type']).toBe('application/x-git-upload-pack-advertisement');
    expect((await gitAsync(['ls-remote', locked.url('demo.git', credentials)])).code).toBe(0);
  });

  it('a slowed server sends its bodies in small paced chunks', async () => {
    const res = await request(`${slow.url('demo.git')}/info/refs?service=git-upload-pack`);
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThan(128);
    expect(res.chunks).toBeGreaterThan(1);
    expect(res.body.toString('latin1')).toContain('# service=git-upload-pack');
  });

  it('speaks the Git LFS batch API for objects stored in the repository', async () => {
    const { oid, size } = lfsPointer('lfs content\n');
    const batch = await request(
      `${plain.url('demo.git')}/info/lfs/objects/batch`,
      { method: 'POST', headers: { 'Content-Type': 'application/vnd.git-lfs+json', Accept: 'application/vnd.git-lfs+json' } },
      JSON.stringify({ operation: 'download', transfers: ['basic'], objects: [{ oid, size }, { oid: 'f'.repeat(64), size: 1 }] }),
    );
    expect(batch.status).toBe(200);
    const answer = JSON.parse(batch.body.toString('utf8')) as { objects: { oid: string; actions?: { download: { href: string } }; error?: { code: number } }[] };
    expect(answer.objects[1]?.error?.code).toBe(404);
    const href = answer.objects[0]?.actions?.download.href ?? '';
    expect(href.startsWith(plain.baseUrl)).toBe(true);
    expect((await request(href)).body.toString('utf8')).toBe('lfs content\n');
  });

  it('parses CGI headers, Status included', () => {
    expect(parseCgiHeaders('Status: 404 Not Found\r\nContent-Type: text/plain\r\nExpires: Fri, 01 Jan 1980 00:00:00 GMT')).toEqual({
      status: 404,
      headers: { 'Content-Type': 'text/plain', Expires: 'Fri, 01 Jan 1980 00:00:00 GMT' },
    });
    expect(parseCgiHeaders('Content-Type: application/x-git-upload-pack-result').status).toBe(200);
  });
});
