// Who may talk to the loopback server: the right Host (against DNS rebinding), the right Origin (against other
// sites), and the launch token — from the URL once, then from an HttpOnly SameSite=Strict cookie.
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'modelcommons_token';

export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function hostAllowed(req: IncomingMessage, port: number): boolean {
  return allowedHosts(port).has((req.headers.host ?? '').toLowerCase());
}

/** A browser always sends Origin on cross-site requests; a present Origin must be our own. */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

export function tokenFromQuery(url: URL): string | null {
  return url.searchParams.get('token');
}

export function tokenFromCookie(req: IncomingMessage): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== TOKEN_COOKIE) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return null; // a malformed escape is no token (a 401), not a thrown URIError (a 500)
    }
  }
  return null;
}

export function tokensMatch(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}
