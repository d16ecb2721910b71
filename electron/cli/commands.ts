// The CLI's subcommands, each a thin call into the core's services.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_WEIGHTS } from '../../shared/score-weights.js';
import { resolveDataHome } from '../core/data-home.js';
import { createServices, type Services } from '../core/services.js';
import { runBackendChoices, type RunBackendChoice } from '../core/training/trainer-protocol.js';
import { modelRequest, printModelImpact, runModelImpact, type ModelFlags } from './model-impact-command.js';
import { bar, endProgress, printError, printJson, printLine, progress } from './output.js';
import { resolveProjectRef } from './project-ref.js';
import { fromWorkingDirectory } from './source-path.js';

export function openServices(version: string): Services {
  const bundled = builtAssetDir('bundled-catalog');
  return createServices({ home: resolveDataHome(), version, bundledCatalogDir: fs.existsSync(bundled) ? bundled : null });
}

/** A folder the build writes beside the built CLI (dist/<name>); from sources, the repo's dist/<name>. */
export function builtAssetDir(name: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return here.endsWith(path.join('electron', 'cli')) ? path.resolve(here, '../../dist', name) : path.join(here, name);
}

export function defaultRendererDir(): string {
  return builtAssetDir('renderer');
}

export async function serveCommand(version: string, opts: { port?: string; open?: boolean; json?: boolean }) {
  const services = openServices(version);
  // The server (http, ws) loads for `serve` alone.
  const { startServer } = await import('../server/loopback-server.js');
  const server = await startServer({
    services,
    rendererDir: defaultRendererDir(),
    ...(opts.port ? { port: parsePort(opts.port) } : {}),
  });
  if (opts.json) printJson({ url: server.url, port: server.port });
  else {
    printLine(`ModelCommons is serving at ${server.url}`);
    printLine('Press Ctrl+C to stop.');
  }
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
    if (!list.length) return printLine('No projects yet. Add one with: modelcommons clone <git-url-or-folder>');
    for (const p of list) printLine(`${p.name.padEnd(24)} ${p.status.padEnd(8)} ${p.path}${p.kind === 'local' ? ' (in place)' : ''}`);
  } finally {
    services.close();
  }
}

export async function cloneCommand(version: string, source: string, opts: { depth?: string; dir?: string; json?: boolean }) {
  const services = openServices(version);
  const abort = () => services.projects.cancelAll();
  process.once('SIGINT', abort);
  try {
    const project = await services.addProject(fromWorkingDirectory(source), {
      ...(opts.depth ? { depth: positiveInt(opts.depth, '--depth') } : {}),
      ...(opts.dir ? { destination: path.resolve(opts.dir) } : {}),
      onProgress: (p) => progress(`${p.stage.padEnd(12)} ${bar(p.percent / 100)} ${p.percent}%`),
    });
    endProgress();
    if (opts.json) printJson(project);
    else printLine(`Cloned ${project.name} into ${project.path}`);
  } finally {
    process.off('SIGINT', abort);
    services.close();
  }
}

export async function trainCommand(version: string, ref: string, opts: { epochs?: string; backend?: string; evaluate?: boolean; json?: boolean }) {
  const services = openServices(version);
  const cancel = () => services.training.cancelAll();
  process.once('SIGINT', cancel);
  try {
    const project = await resolveProjectRef(services, ref);
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
      ...(opts.evaluate ? { evaluate: true } : {}),
    });
    const run = await finished;
    unsubscribe();
    endProgress();
    for (const warning of run.warnings) printError(`warning: ${warning}`);
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
        split: run.split,
        bestEpoch: run.bestEpoch,
        warnings: run.warnings,
        seconds: run.seconds,
        samplesPerSecond: run.samplesPerSecond,
        checkpoint: run.checkpoint,
      });
    }
    printLine(`Trained ${project.name} in ${((Date.now() - started) / 1000).toFixed(1)} s on ${run.backend} — ${run.device}`);
    if (run.split) {
      const best = run.bestEpoch === null ? '' : `; best validation epoch ${run.bestEpoch}`;
      printLine(`  rows: ${run.split.train} train, ${run.split.validation} validation, ${run.split.test} test${best}; test metrics:`);
    }
    for (const [k, v] of Object.entries(run.metrics ?? {})) printLine(`  ${k.padEnd(20)} ${v.toFixed(4)}`);
  } finally {
    process.off('SIGINT', cancel);
    services.close();
  }
}

export async function updateCommand(version: string, ref: string, opts: { discardLocalChanges?: boolean; json?: boolean }) {
  const services = openServices(version);
  try {
    const project = services.projects.find(ref);
    const status = await services.projects.gitStatus(project.id, true);
    const pulled = status.behind > 0 ? await services.projects.pull(project.id, opts.discardLocalChanges ?? false) : null;
    const after = await services.projects.gitStatus(project.id, false);
    if (opts.json) return printJson({ project: project.name, before: status, pulled, after });
    const where = status.detached ? `detached at ${status.head?.slice(0, 8)}` : `${status.branch} ← ${status.upstream ?? 'no upstream'}`;
    printLine(`${project.name}: ${where}`);
    printLine(pulled ? `Fast-forwarded ${pulled.commits} commit${pulled.commits === 1 ? '' : 's'} to ${pulled.head.slice(0, 8)}` : 'Already up to date');
    if (after.ahead) printLine(`${after.ahead} local commit${after.ahead === 1 ? '' : 's'} not on the upstream`);
    if (!after.clean) printLine(`Local changes kept: ${after.modified} modified, ${after.untracked} untracked`);
  } finally {
    services.close();
  }
}

export async function impactCommand(
  version: string,
  ref: string,
  opts: {
    json?: boolean;
    since?: string;
    until?: string;
    weights?: string;
    includeBots?: boolean;
    blame?: boolean;
    merge?: string;
    split?: string;
    category?: string[];
    resetCategories?: boolean;
    model?: boolean;
  } & ModelFlags,
) {
  const services = openServices(version);
  try {
    const project = await resolveProjectRef(services, ref);
    const modelOptions = opts.model ? modelRequest(opts) : null; // bad flags fail before any work
    if (opts.merge) services.impact.merge(project.id, opts.merge.split(',').map((s) => s.trim()));
    if (opts.split) services.impact.split(project.id, opts.split);
    if (opts.resetCategories) services.impact.setRules(project.id, []);
    if (opts.category?.length) {
      const added = opts.category.map((raw) => {
        const at = raw.lastIndexOf('=');
        if (at <= 0) throw new Error(`--category takes "pattern=category" (e.g. notebooks/**=docs), not "${raw}"`);
        return { pattern: raw.slice(0, at), category: raw.slice(at + 1).trim() as 'code' };
      });
      services.impact.setRules(project.id, [...added, ...services.impact.rules(project.id).rules]);
    }
    const report = await services.impact.analyze(project.id, {
      ...(opts.since ? { since: opts.since } : {}),
      ...(opts.until ? { until: opts.until } : {}),
      ...(opts.weights ? { weights: parseWeights(opts.weights) } : {}),
      includeBots: opts.includeBots ?? false,
      blame: opts.blame !== false,
    });
    endProgress();
    const model = modelOptions ? await runModelImpact(services, project.id, modelOptions) : null;
    if (opts.json) return printJson(model ? { ...report, model } : report);
    const { alpha, beta, gamma } = report.weights;
    printLine(`${project.name}: C = ${alpha}·G + ${beta}·D + ${gamma}·PQ`);
    printLine(`${'share'.padStart(6)} ${'commits'.padStart(7)} ${'+lines'.padStart(8)} ${'-lines'.padStart(8)} ${'surviving'.padStart(9)}  name`);
    for (const c of report.contributors) {
      printLine(
        `${(c.share * 100).toFixed(1).padStart(5)}% ${String(c.commits).padStart(7)} ${String(c.linesAdded).padStart(8)} ${String(c.linesDeleted).padStart(8)} ${String(c.survivingLines ?? '—').padStart(9)}  ${c.name} <${c.email}>${c.bot ? ' [bot]' : ''}${forgeNote(c)}`,
      );
    }
    if (model) printModelImpact(model);
  } finally {
    services.close();
  }
}

/** " @login: 2 issues, 1 answers, 1 reviews" for people with forge interaction (forge sync), else "". */
function forgeNote(c: { logins: string[]; interaction: { issuesOpened: number; answers: number; reviews: number } }): string {
  const i = c.interaction;
  if (!c.logins.length && i.issuesOpened + i.answers + i.reviews === 0) return '';
  return ` ${c.logins.map((l) => `@${l}`).join(' ')}: ${i.issuesOpened} issues, ${i.answers} answers, ${i.reviews} reviews`;
}

function parseWeights(raw: string) {
  const parts = raw.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new Error(`--weights must be three numbers ≥ 0 as alpha,beta,gamma (e.g. ${[DEFAULT_WEIGHTS.alpha, DEFAULT_WEIGHTS.beta, DEFAULT_WEIGHTS.gamma].join(',')}), not "${raw}"`);
  }
  return { alpha: parts[0]!, beta: parts[1]!, gamma: parts[2]! };
}

export async function catalogAddCommand(version: string, url: string, opts: { json?: boolean }) {
  const services = openServices(version);
  try {
    const catalog = await services.catalogs.addCatalog(fromWorkingDirectory(url));
    if (opts.json) printJson(catalog);
    else printLine(`Added the catalog "${catalog.name}" with ${catalog.entries} project${catalog.entries === 1 ? '' : 's'}`);
  } finally {
    services.close();
  }
}

export async function catalogListCommand(version: string, opts: { json?: boolean }) {
  const services = openServices(version);
  try {
    const list = services.catalogs.listCatalogs();
    if (opts.json) return printJson(list);
    printLine(`${'bundled'.padEnd(10)} ModelCommons examples (ships with the app)`);
    for (const c of list) printLine(`${c.id.slice(0, 8).padEnd(10)} ${c.name} — ${c.entries} projects — ${c.url}${c.error ? ` (error: ${c.error})` : ''}`);
  } finally {
    services.close();
  }
}

export async function catalogRefreshCommand(version: string, opts: { json?: boolean }) {
  const services = openServices(version);
  try {
    const refreshed = [];
    for (const c of services.catalogs.listCatalogs()) refreshed.push(await services.catalogs.refreshCatalog(c.id));
    if (opts.json) return printJson(refreshed);
    for (const c of refreshed) printLine(`${c.name}: ${c.entries} projects${c.error ? ` (error: ${c.error})` : ''}`);
  } finally {
    services.close();
  }
}

export async function catalogSearchCommand(
  version: string,
  query: string | undefined,
  opts: { task?: string; tag?: string[]; license?: string; json?: boolean },
) {
  const services = openServices(version);
  try {
    const result = services.catalogs.search({
      ...(query ? { query } : {}),
      ...(opts.task ? { task: opts.task as never } : {}),
      ...(opts.tag?.length ? { tags: opts.tag } : {}),
      ...(opts.license ? { license: opts.license } : {}),
    });
    for (const s of result.skipped) printError(`skipped ${s.name}: ${s.error}`);
    if (opts.json) return printJson(result.hits.map((h) => ({ ...h.entry, catalog: h.catalog.name })));
    if (!result.hits.length) return printLine('No project matches.');
    for (const { entry, catalog } of result.hits) {
      printLine(`${entry.name.padEnd(24)} ${entry.task.padEnd(14)} ${entry.url}`);
      printLine(`${''.padEnd(24)} ${entry.description} [${catalog.name}]`);
    }
  } finally {
    services.close();
  }
}

function backendChoice(raw: string): RunBackendChoice {
  if ((runBackendChoices as readonly string[]).includes(raw)) return raw as RunBackendChoice;
  throw new Error(`--backend must be one of ${runBackendChoices.join(', ')}, not "${raw}"`);
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
