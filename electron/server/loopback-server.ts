// `modelcommons serve`: the renderer and the contract over HTTP (POST /api/invoke/<channel>) and a WebSocket
// (/api/events), bound to 127.0.0.1 only and guarded by a per-launch token.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Services } from '../core/services.js';
import {
  hostAllowed,
  newToken,
  originAllowed,
  tokenCookie,
  tokenFromCookie,
  tokenFromQuery,
  tokensMatch,
} from './request-guard.js';
import { wireJson } from '../../shared/wire-json.js';
import { nodeBase64 } from './node-base64.js';
import { BodyBudget, type BodyLimits } from './read-body.js';
import { CONTENT_SECURITY_POLICY, readStaticFile } from './static-files.js';

export interface ServerOptions {
  readonly services: Services;
  readonly rendererDir: string;
  readonly port?: number;
  readonly token?: string;
  /** Body size caps and the in-flight bound (DEFAULT_BODY_LIMITS when absent). */
  readonly bodyLimits?: BodyLimits;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/** Typed arrays (training data out, checkpoints back) travel as base64 inside the JSON. */
const wire = wireJson(nodeBase64);

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const { services } = options;
  let port = 0;
  const sockets = new WebSocketServer({ noServer: true });
  const bodies = new BodyBudget(options.bodyLimits);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `500: ${(err as Error).message}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (!hostAllowed(req, port)) return send(res, 403, 'text/plain; charset=utf-8', '403: wrong Host header');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const queryToken = tokenFromQuery(url);
    const authorised = tokensMatch(queryToken, token) || tokensMatch(tokenFromCookie(req), token);
    if (!authorised) {
      return send(res, 401, 'text/plain; charset=utf-8', '401: open the URL that `modelcommons serve` printed (it carries the token)');
    }
    if (!originAllowed(req, port)) return send(res, 403, 'text/plain; charset=utf-8', '403: cross-origin request refused');
    if (tokensMatch(queryToken, token)) res.setHeader('Set-Cookie', tokenCookie(token));

    if (url.pathname.startsWith('/api/invoke/')) {
      if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', '405: use POST');
      const channel = decodePath(url.pathname.slice('/api/invoke/'.length));
      if (channel === null) return send(res, 400, 'text/plain; charset=utf-8', '400: malformed %-escape in the path');
      const body = await bodies.read(req, parseJson);
      if (body.kind === 'aborted') return req.destroy();
      if (body.kind !== 'ok') return refuse(req, res, body.kind === 'busy' ? 503 : 413, body.message);
      const envelope = body.value.ok ? await services.dispatch(channel, body.value.value) : body.value;
      return send(res, 200, 'application/json', wire.stringify(envelope));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', '405');
    const file = readStaticFile(options.rendererDir, url.pathname);
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', '404: not found');
    return send(res, 200, file.type, file.body, file.type.startsWith('text/html'));
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const ok =
      url.pathname === '/api/events' &&
      hostAllowed(req, port) &&
      originAllowed(req, port) &&
      (tokensMatch(tokenFromCookie(req), token) || tokensMatch(tokenFromQuery(url), token));
    if (!ok) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      const unsubscribe = services.events.subscribe((message) => {
        if (ws.readyState === ws.OPEN) ws.send(wire.stringify(message));
      });
      ws.on('close', unsubscribe);
      ws.on('error', unsubscribe);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  // Every open page of the app is a Chromium context that can train WebGPU/WebGL jobs (it claims them itself).
  services.chromium.useContexts({
    unavailable: () =>
      sockets.clients.size > 0 ? null : 'no ModelCommons page is open: GPU backends train in the page, so open the URL `modelcommons serve` printed',
  });

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, html = false) {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cache-Control': html || status !== 200 ? 'no-store' : 'private, max-age=3600',
  });
  res.end(body);
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: { kind: 'invalid-request'; message: string } };

function parseJson(body: Buffer): Parsed {
  const text = body.toString('utf8');
  if (!text) return { ok: true, value: {} };
  try {
    return { ok: true, value: wire.parse(text) };
  } catch {
    return { ok: false, error: { kind: 'invalid-request', message: 'Request body is not valid JSON' } };
  }
}

/** The path segment decoded, or null for a malformed `%` escape (a 400, not a thrown URIError and a 500). */
function decodePath(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/**
 * Answers 413/503 while the body may still be arriving: its rest is discarded unread, and a client still sending
 * two seconds after the answer is cut off. (`Connection: close` would reset the socket before the client reads
 * the answer: its pending writes fail first.)
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: 413 | 503, message: string) {
  if (status === 503) res.setHeader('Retry-After', '5');
  res.on('finish', () => {
    if (!req.complete) setTimeout(() => req.socket.destroy(), 2000).unref();
  });
  send(res, status, 'text/plain; charset=utf-8', `${status}: ${message}`);
}
