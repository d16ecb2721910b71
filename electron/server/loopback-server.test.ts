import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createServices, type Services } from '../core/services.js';
import { makeRepo, tempDir } from '../core/testing/git-fixtures.js';
import { startServer, type RunningServer } from './loopback-server.js';

let services: Services;
let server: RunningServer;
let root: string;

beforeAll(async () => {
  root = tempDir();
  const rendererDir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>ModelCommons</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'secret.txt'), 'outside');
  services = createServices({ home: path.join(root, 'home'), version: '0.0.0-test' });
  server = await startServer({ services, rendererDir });
});
afterAll(async () => {
  await server.close();
  services.close();
  fs.rmSync(root, { recursive: true, force: true });
});

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function request(pathAndQuery: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: pathAndQuery, method: init.method ?? 'GET', headers: init.headers },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

const cookie = () => `modelcommons_token=${server.token}`;

describe('modelcommons serve', () => {
  it('prints a tokened URL on 127.0.0.1 and listens on loopback only', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`));
    // Bound to 127.0.0.1 alone, it refuses another address of this machine (127.0.0.2 on Linux; a LAN
    // address elsewhere) — a server bound to 0.0.0.0 would accept.
    const other =
      process.platform === 'linux'
        ? '127.0.0.2'
        : Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    expect(other, 'a second address of this machine to probe').toBeDefined();
    return new Promise<void>((resolve, reject) => {
      const req = http.get({ host: other, port: server.port, path: '/' }, () => reject(new Error(`answered on ${other}`)));
      req.on('error', (err: NodeJS.ErrnoException) => {
        expect(err.code).toBe('ECONNREFUSED');
        resolve();
      });
    });
  });

  it('answers 401 to the page, an asset and the API without the token', async () => {
    expect((await request('/')).status).toBe(401);
    expect((await request('/assets/app.js')).status).toBe(401);
    expect((await request('/api/invoke/projects:list', { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await request('/?token=wrong')).status).toBe(401);
  });

  it('sets an HttpOnly SameSite=Strict cookie on the first tokened load, which then opens everything', async () => {
    const first = await request(`/?token=${server.token}`);
    expect(first.status).toBe(200);
    expect(first.body).toContain('<title>ModelCommons</title>');
    expect(first.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
    expect(first.headers['content-security-policy']).toContain("default-src 'self'");
    const asset = await request('/assets/app.js', { headers: { cookie: cookie() } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin, even with the token', async () => {
    expect((await request(`/?token=${server.token}`, { headers: { host: 'evil.example:80' } })).status).toBe(403);
    const cross = await request('/api/invoke/projects:list', {
      method: 'POST',
      body: '{}',
      headers: { cookie: cookie(), origin: 'http://evil.example' },
    });
    expect(cross.status).toBe(403);
  });

  it('never serves a file outside the renderer folder', async () => {
    const reply = await request('/..%2fsecret.txt', { headers: { cookie: cookie() } });
    expect(reply.body).not.toContain('outside');
  });

  it('serves the contract: requests validated, errors as one-line envelopes', async () => {
    const ok = await request('/api/invoke/projects:list', { method: 'POST', body: '{}', headers: { cookie: cookie() } });
    expect(JSON.parse(ok.body)).toEqual({ ok: true, value: [] });
    const unknown = await request('/api/invoke/nope:never', { method: 'POST', body: '{}', headers: { cookie: cookie() } });
    expect(JSON.parse(unknown.body)).toEqual({ ok: false, error: { kind: 'invalid-request', message: 'Unknown channel "nope:never"' } });
    const bad = await request('/api/invoke/projects:add', { method: 'POST', body: '{"source": 5}', headers: { cookie: cookie() } });
    expect(JSON.parse(bad.body).error.kind).toBe('invalid-request');
    expect(JSON.parse(bad.body).error.message).toMatch(/^projects:add: source:/);
  });

  it('streams events over the WebSocket to a tokened client, and refuses one without the token', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`);
    const refusal = await new Promise<string>((resolve) => {
      refused.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      refused.on('error', (e) => resolve(e.message));
    });
    expect(refusal).toMatch(/401/);

    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, { headers: { cookie: cookie() } });
    await new Promise((resolve, reject) => (ws.on('open', resolve), ws.on('error', reject)));
    const names: string[] = [];
    ws.on('message', (data) => names.push(JSON.parse(String(data)).name));

    const repo = makeRepo(path.join(root, 'demo'), [{ author: 'A', email: 'a@x.org', message: 'm', files: { 'x.txt': 'x' } }]);
    const added = await request('/api/invoke/projects:add', {
      method: 'POST',
      body: JSON.stringify({ source: repo }),
      headers: { cookie: cookie() },
    });
    expect(JSON.parse(added.body).value.status).toBe('ready');
    await new Promise((r) => setTimeout(r, 100));
    expect(names).toContain('projects:changed');
    ws.close();
  });
});
