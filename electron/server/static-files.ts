// Serves the built renderer's files, refusing any path that leaves its folder.
import fs from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

export function readStaticFile(root: string, urlPath: string): StaticFile | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath).replace(/^\/+/, '');
  } catch {
    return null;
  }
  const rootAbs = path.resolve(root);
  let file = path.resolve(rootAbs, rel || 'index.html');
  if (file !== rootAbs && !file.startsWith(rootAbs + path.sep)) return null;
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    // Client-side routes fall back to the app; missing assets stay missing.
    if (path.extname(rel)) return null;
    file = path.join(rootAbs, 'index.html');
    if (!fs.existsSync(file)) return null;
  }
  return { body: fs.readFileSync(file), type: TYPES[path.extname(file)] ?? 'application/octet-stream' };
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
