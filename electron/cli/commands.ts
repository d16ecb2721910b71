// The CLI's subcommands, each a thin call through the core's validated dispatcher (the contract every host serves).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CatalogTask } from '../../shared/catalog.js';
import type { Run } from '../../shared/contract.js';
import { DEFAULT_WEIGHTS } from '../../shared/score-weights.js';
import { withModelTerm } from '../../shared/impact.js';
import { resolveDataHome } from '../core/data-home.js';
import type { EventBus } from '../core/event-bus.js';
import { unknownCategory, type Category } from '../core/impact/categories.js';
import { ServiceGraph } from '../core/service-graph.js';
import { RUN_BACKENDS, type RunBackendChoice } from '../../shared/backends.js';
import { call } from './dispatch-call.js';
import { modelRequest, printModelImpact, runModelImpact, type ModelFlags } from './model-impact-command.js';
import { bar, endProgress, printError, printJson, printLine, progress } from './output.js';
import { resolveProjectRef } from './project-ref.js';
import { fromWorkingDirectory } from './source-path.js';

/** The core for one command: the store, projects and catalogs on first use; training, impact, forge… loaded only when asked. */
export function openServices(version: string): ServiceGraph {
  return new ServiceGraph(servicesConfig(version), () => import('../core/on-demand-services.js'));
}

function servicesConfig(version: string) {
  const bundled = builtAssetDir('bundled-catalog');
  const nativeBinding = sqliteAddon();
  return { home: resolveDataHome(), version, bundledCatalogDir: fs.existsSync(bundled) ? bundled : null, ...(nativeBinding ? { nativeBinding } : {}) };
}

/** better-sqlite3's addon by its path: its own lookup (the `bindings` package) searches a dozen folders, ~15 ms a start. */
function sqliteAddon(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    return undefined; // built elsewhere (a debug build): its own lookup finds it
  }
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
  // The server (http, ws) and every service load for `serve` alone.
  const [{ startServer }, { createServices }] = await Promise.all([import('../server/loopback-server.js'), import('../core/services.js')]);
  const services = createServices(servicesConfig(version));
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
    const list = await call(services, 'projects:list', {});
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
  const off = services.events.on('clone:progress', (p) => progress(`${p.stage.padEnd(12)} ${bar(p.percent / 100)} ${p.percent}%`));
  try {
    const project = await call(services, 'projects:add', {
      source: fromWorkingDirectory(source),
      ...(opts.depth ? { depth: positiveInt(opts.depth, '--depth') } : {}),
      ...(opts.dir ? { destination: path.resolve(opts.dir) } : {}),
    });
    endProgress();
    if (opts.json) printJson(project);
    else printLine(`Cloned ${project.name} into ${project.path}`);
  } finally {
    off();
    process.off('SIGINT', abort);
    services.close();
  }
}

export async function trainCommand(version: string, ref: string, opts: { epochs?: string; backend?: string; evaluate?: boolean; json?: boolean }) {
  const services = openServices(version);
  const cancel = () => void services.use.training().then((training) => training.cancelAll());
  process.once('SIGINT', cancel);
  const ended = finishedRuns(services.events);
  const unsubscribe = services.events.on('training:progress', (p) => {
    const metric = Object.entries(p.record.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(' ');
    progress(`epoch ${p.record.epoch}/${p.epochs} ${bar(p.record.epoch / p.epochs)} loss ${p.record.loss.toFixed(4)} ${metric}`);
  });
  try {
    const project = await resolveProjectRef(services, ref);
    const started = Date.now();
    const { id } = await call(services, 'training:start', {
      projectId: project.id,
      ...(opts.epochs ? { epochs: positiveInt(opts.epochs, '--epochs') } : {}),
      ...(opts.backend ? { backend: backendChoice(opts.backend) } : {}),
      ...(opts.evaluate ? { evaluate: true } : {}),
    });
    const run = await ended.wait(id);
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
    unsubscribe();
    ended.off();
    process.off('SIGINT', cancel);
    services.close();
  }
}

/** Each run's final state from the `training:finished` events, also for a run that ended before it was waited for. */
function finishedRuns(events: EventBus) {
  const ended = new Map<string, Run>();
  const waiting = new Map<string, (run: Run) => void>();
  const off = events.on('training:finished', (run) => {
    const resolve = waiting.get(run.id);
    if (resolve) resolve(run);
    else ended.set(run.id, run);
  });
  const wait = (runId: string) => {
    const run = ended.get(runId);
    return run ? Promise.resolve(run) : new Promise<Run>((resolve) => waiting.set(runId, resolve));
  };
  return { wait, off };
}

export async function updateCommand(version: string, ref: string, opts: { discardLocalChanges?: boolean; json?: boolean }) {
  const services = openServices(version);
  try {
    const project = services.projects.find(ref);
    const status = await call(services, 'projects:gitStatus', { projectId: project.id, fetch: true });
    const pulled = status.behind > 0 ? await call(services, 'projects:pull', { projectId: project.id, discardLocalChanges: opts.discardLocalChanges ?? false }) : null;
    const after = await call(services, 'projects:gitStatus', { projectId: project.id, fetch: false });
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
    const projectId = project.id;
    if (opts.merge) await call(services, 'impact:merge', { projectId, identities: opts.merge.split(',').map((s) => s.trim()) });
    if (opts.split) await call(services, 'impact:split', { projectId, identity: opts.split });
    if (opts.resetCategories) await call(services, 'impact:setCategoryRules', { projectId, rules: [] });
    if (opts.category?.length) {
      const added = opts.category.map((raw, i) => {
        const at = raw.lastIndexOf('=');
        if (at <= 0) throw new Error(`--category takes "pattern=category" (e.g. notebooks/**=docs), not "${raw}"`);
        const [pattern, category] = [raw.slice(0, at).trim(), raw.slice(at + 1).trim()];
        // Named as the store names a bad rule, before the contract's check of the category list.
        const unknown = unknownCategory(i, pattern, category);
        if (unknown) throw new Error(unknown);
        return { pattern, category: category as Category };
      });
      const { rules } = await call(services, 'impact:categoryRules', { projectId });
      await call(services, 'impact:setCategoryRules', { projectId, rules: [...added, ...rules] });
    }
    const report = await call(services, 'impact:analyze', {
      projectId,
      ...(opts.since ? { since: opts.since } : {}),
      ...(opts.until ? { until: opts.until } : {}),
      ...(opts.weights ? { weights: parseWeights(opts.weights) } : {}),
      includeBots: opts.includeBots ?? false,
      blame: opts.blame !== false,
    });
    endProgress();
    const model = modelOptions ? await runModelImpact(services, project.id, modelOptions) : null;
    // This run's model analysis gives the score's M (without --model, the project's last stored one did).
    const scored = model ? withModelTerm(report, { report: model, analysedAt: new Date().toISOString() }) : report;
    if (opts.json) return printJson(model ? { ...scored, model } : scored);
    const { alpha, beta, gamma, delta } = scored.weights;
    printLine(`${project.name}: C = ${alpha}·G + ${beta}·D + ${gamma}·PQ${delta > 0 || scored.modelTerm ? ` + ${delta}·M` : ''}`);
    printLine(`${'share'.padStart(6)} ${'commits'.padStart(7)} ${'+lines'.padStart(8)} ${'-lines'.padStart(8)} ${'surviving'.padStart(9)}  name`);
    for (const c of scored.contributors) {
      printLine(
        `${(c.share * 100).toFixed(1).padStart(5)}% ${String(c.commits).padStart(7)} ${String(c.linesAdded).padStart(8)} ${String(c.linesDeleted).padStart(8)} ${String(c.survivingLines ?? '—').padStart(9)}  ${c.name} <${c.email}>${c.bot ? ' [bot]' : ''}${forgeNote(c)}${modelNote(c)}`,
      );
    }
    if (model) printModelImpact(model);
  } finally {
    services.close();
  }
}

/** " (model: Shapley +0.157, M 0.500)" for people in the model analysis the score's M came from, else "". */
function modelNote(c: { modelShapley?: number; components: { m: number } }): string {
  if (c.modelShapley === undefined) return '';
  return ` (model: Shapley ${c.modelShapley >= 0 ? '+' : ''}${c.modelShapley.toFixed(3)}, M ${c.components.m.toFixed(3)})`;
}

/** " @login: 2 issues, 1 answers, 1 reviews" for people with forge interaction (forge sync), else "". */
function forgeNote(c: { logins: string[]; interaction: { issuesOpened: number; answers: number; reviews: number } }): string {
  const i = c.interaction;
  if (!c.logins.length && i.issuesOpened + i.answers + i.reviews === 0) return '';
  return ` ${c.logins.map((l) => `@${l}`).join(' ')}: ${i.issuesOpened} issues, ${i.answers} answers, ${i.reviews} reviews`;
}

/** alpha,beta,gamma[,delta]: delta (the model term) left out keeps its default. */
function parseWeights(raw: string) {
  const parts = raw.split(',').map((p) => Number(p.trim()));
  if ((parts.length !== 3 && parts.length !== 4) || parts.some((n) => !Number.isFinite(n) || n < 0)) {
    const example = [DEFAULT_WEIGHTS.alpha, DEFAULT_WEIGHTS.beta, DEFAULT_WEIGHTS.gamma].join(',');
    throw new Error(`--weights must be three numbers ≥ 0 as alpha,beta,gamma, or four with delta (e.g. ${example} or ${example},0.2), not "${raw}"`);
  }
  return { alpha: parts[0]!, beta: parts[1]!, gamma: parts[2]!, ...(parts.length === 4 ? { delta: parts[3]! } : {}) };
}

export async function catalogAddCommand(version: string, url: string, opts: { json?: boolean }) {
  const services = openServices(version);
  try {
    const catalog = await call(services, 'catalog:add', { url: fromWorkingDirectory(url) });
    if (opts.json) printJson(catalog);
    else printLine(`Added the catalog "${catalog.name}" with ${catalog.entries} project${catalog.entries === 1 ? '' : 's'}`);
  } finally {
    services.close();
  }
}

export async function catalogListCommand(version: string, opts: { json?: boolean }) {
  const services = openServices(version);
  try {
    const list = await call(services, 'catalog:list', {});
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
    for (const c of await call(services, 'catalog:list', {})) refreshed.push(await call(services, 'catalog:refresh', { catalogId: c.id }));
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
    const result = await call(services, 'catalog:search', {
      ...(query ? { query } : {}),
      ...(opts.task ? { task: opts.task as CatalogTask } : {}),
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
  if ((RUN_BACKENDS as readonly string[]).includes(raw)) return raw as RunBackendChoice;
  throw new Error(`--backend must be one of ${RUN_BACKENDS.join(', ')}, not "${raw}"`);
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
