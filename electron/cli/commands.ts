// The CLI's subcommands, each a thin call into the core's services.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveDataHome } from '../core/data-home.js';
import { createServices, type Services } from '../core/services.js';
import { startServer } from '../server/loopback-server.js';
import { backendChoices, type BackendChoice } from '../core/training/trainer-protocol.js';
import { bar, endProgress, printJson, progress } from './output.js';

export function openServices(version: string): Services {
  return createServices({ home: resolveDataHome(), version });
}

/** dist/renderer beside the built CLI; from sources, the repo's dist/renderer. */
export function defaultRendererDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return here.endsWith(path.join('electron', 'cli')) ? path.resolve(here, '../../dist/renderer') : path.join(here, 'renderer');
}

export async function serveCommand(version: string, opts: { port?: string; open?: boolean; json?: boolean }) {
  const services = openServices(version);
  const server = await startServer({
    services,
    rendererDir: defaultRendererDir(),
    ...(opts.port ? { port: parsePort(opts.port) } : {}),
  });
  if (opts.json) printJson({ url: server.url, port: server.port });
  else process.stdout.write(`ModelCommons is serving at ${server.url}\nPress Ctrl+C to stop.\n`);
  if (opts.open) openInBrowser(server.url);
  const stop = async () => {
    await server.close();
    services.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export async function projectsCommand(version: string, opts: { json?: boolean }) {
  const services = openServices(version);
  try {
    const list = services.projects.list();
    if (opts.json) return printJson(list);
    if (!list.length) return console.log('No projects yet. Add one with: modelcommons clone <git-url-or-folder>');
    for (const p of list) console.log(`${p.name.padEnd(24)} ${p.status.padEnd(8)} ${p.path}`);
  } finally {
    services.close();
  }
}

export async function cloneCommand(version: string, source: string, opts: { depth?: string; json?: boolean }) {
  const services = openServices(version);
  const abort = () => services.projects.cancelAll();
  process.once('SIGINT', abort);
  try {
    const project = await services.projects.add(source, {
      ...(opts.depth ? { depth: positiveInt(opts.depth, '--depth') } : {}),
      onProgress: (p) => progress(`${p.stage.padEnd(12)} ${bar(p.percent / 100)} ${p.percent}%`),
    });
    endProgress();
    if (opts.json) printJson(project);
    else console.log(`Cloned ${project.name} into ${project.path}`);
  } finally {
    process.off('SIGINT', abort);
    services.close();
  }
}

export async function trainCommand(version: string, ref: string, opts: { epochs?: string; backend?: string; json?: boolean }) {
  const services = openServices(version);
  const cancel = () => services.training.cancelAll();
  process.once('SIGINT', cancel);
  try {
    const project = services.projects.find(ref);
    const started = Date.now();
    const unsubscribe = services.events.subscribe((m) => {
      if (m.name !== 'training:progress') return;
      const p = m.payload as { epochs: number; record: { epoch: number; loss: number; metrics: Record<string, number> } };
      const metric = Object.entries(p.record.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(' ');
      progress(`epoch ${p.record.epoch}/${p.epochs} ${bar(p.record.epoch / p.epochs)} loss ${p.record.loss.toFixed(4)} ${metric}`);
    });
    const { finished } = await services.training.start(project.id, {
      ...(opts.epochs ? { epochs: positiveInt(opts.epochs, '--epochs') } : {}),
      ...(opts.backend ? { backend: backendChoice(opts.backend) } : {}),
    });
    const run = await finished;
    unsubscribe();
    endProgress();
    if (run.status !== 'succeeded') throw new Error(run.error ?? `Training ${run.status}`);
    if (opts.json) {
      return printJson({
        runId: run.id,
        backend: run.backend,
        device: run.device,
        task: run.task,
        commit: run.commit,
        metrics: run.metrics,
        confusionMatrix: run.confusionMatrix,
        labels: run.labels,
        history: run.history,
        seconds: run.seconds,
        samplesPerSecond: run.samplesPerSecond,
        checkpoint: run.checkpoint,
      });
    }
    console.log(`Trained ${project.name} in ${((Date.now() - started) / 1000).toFixed(1)} s on ${run.backend} — ${run.device}`);
    for (const [k, v] of Object.entries(run.metrics ?? {})) console.log(`  ${k.padEnd(20)} ${v.toFixed(4)}`);
  } finally {
    process.off('SIGINT', cancel);
    services.close();
  }
}

function backendChoice(raw: string): BackendChoice {
  if ((backendChoices as readonly string[]).includes(raw)) return raw as BackendChoice;
  throw new Error(`--backend must be one of ${backendChoices.join(', ')}, not "${raw}"`);
}

function parsePort(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${raw}"`);
  return n;
}

function positiveInt(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive whole number, not "${raw}"`);
  return n;
}

function openInBrowser(url: string) {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true }).on('error', () => {
    process.stderr.write(`Could not open a browser; open ${url} yourself.\n`);
  }).unref();
}
