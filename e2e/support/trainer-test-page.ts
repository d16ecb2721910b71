// Builds renderer/src/trainer/trainer-test-page.html (the app's trainer worker behind a bare page) with Vite and
// serves it on loopback: for e2e/browser-trainer.serve.spec.ts and bench/gpu-train-speed.ts. With `prebuilt`, it serves
// a page built earlier into outDir as it is (a GPU box with Node and a browser but no dev toolchain; vite not loaded).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../renderer/src/trainer');

export interface ServedTrainerPage {
  readonly url: string;
  close(): Promise<void>;
}

export async function buildTrainerTestPage(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: pageDir,
    base: './',
    logLevel: 'warn',
    worker: { format: 'es' },
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 5000, rollupOptions: { input: path.join(pageDir, 'trainer-test-page.html') } },
  });
}

export async function serveTrainerTestPage(outDir: string, options: { prebuilt?: boolean } = {}): Promise<ServedTrainerPage> {
  if (!options.prebuilt) await buildTrainerTestPage(outDir);
  else if (!fs.existsSync(path.join(outDir, 'trainer-test-page.html'))) throw new Error(`${outDir} holds no built trainer-test-page.html`);
  const server = http.createServer((req, res) => {
    const file = path.join(outDir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(outDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/trainer-test-page.html`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
