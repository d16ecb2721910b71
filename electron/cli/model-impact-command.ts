// `modelcommons impact --model` and `modelcommons bisect`: the options, the call through the validated dispatch,
// progress on stderr ("37/64 trainings, ETA 12 s"), and the human output of the model block.
import type { EventMessage } from '../../shared/contract.js';
import { modelImpactMethods, type ModelBisectResult, type ModelImpact, type ModelImpactMethod, type ModelImpactRequest, type MetricInterval } from '../../shared/impact.js';
import type { ServiceGraph } from '../core/service-graph.js';
import { openServices } from './commands.js';
import { bar, endProgress, printJson, printLine, progress } from './output.js';

export interface ModelFlags {
  seeds?: string;
  method?: string;
  budget?: string;
  evaluation?: string;
  workers?: string;
}

function wholeNumber(raw: string, flag: string, min = 1): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be a whole number ≥ ${min}, not "${raw}"`);
  return n;
}

export function modelRequest(flags: ModelFlags & { since?: string; until?: string }): ModelImpactRequest {
  if (flags.method !== undefined && !(modelImpactMethods as readonly string[]).includes(flags.method)) {
    throw new Error(`--method must be one of ${modelImpactMethods.join(', ')}, not "${flags.method}"`);
  }
  return {
    ...(flags.seeds ? { seeds: wholeNumber(flags.seeds, '--seeds', 2) } : {}),
    ...(flags.method ? { method: flags.method as ModelImpactMethod } : {}),
    ...(flags.budget ? { budget: wholeNumber(flags.budget, '--budget') } : {}),
    ...(flags.evaluation ? { evaluation: flags.evaluation } : {}),
    ...(flags.workers ? { workers: wholeNumber(flags.workers, '--workers') } : {}),
    ...(flags.since ? { since: flags.since } : {}),
    ...(flags.until ? { until: flags.until } : {}),
  };
}

/** Sends a request through the dispatcher (the checks every host gets), with model-impact progress on stderr. */
async function dispatchWithProgress<T>(services: ServiceGraph, channel: 'impact:model' | 'impact:bisect', request: object): Promise<T> {
  const unsubscribe = services.events.subscribe((m: EventMessage) => {
    if (m.name !== 'impact:modelProgress') return;
    const p = m.payload as EventMessage<'impact:modelProgress'>['payload'];
    if (p.phase !== 'training') return progress(`${p.phase}…`);
    const eta = p.etaSeconds === null ? '' : `, ETA ${Math.ceil(p.etaSeconds)} s`;
    progress(`${bar(p.total ? p.done / p.total : 0)} ${p.done}/${p.total} trainings${eta}`);
  });
  const cancel = () => {
    const projectId = (request as { projectId: string }).projectId;
    void services.dispatch('impact:cancelModel', { projectId });
  };
  process.once('SIGINT', cancel);
  try {
    const answer = await services.dispatch(channel, request);
    endProgress();
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value as T;
  } finally {
    process.off('SIGINT', cancel);
    unsubscribe();
  }
}

export function runModelImpact(services: ServiceGraph, projectId: string, request: ModelImpactRequest): Promise<ModelImpact> {
  return dispatchWithProgress<ModelImpact>(services, 'impact:model', { projectId, ...request });
}

const fmt = (v: number) => (v >= 0 ? '+' : '') + v.toFixed(4);
const interval = (i: MetricInterval) => `${i.mean.toFixed(4)} [${i.low.toFixed(4)}, ${i.high.toFixed(4)}]`;
const delta = (i: MetricInterval) => `${fmt(i.mean)} [${fmt(i.low)}, ${fmt(i.high)}]`;

export function printModelImpact(model: ModelImpact): void {
  printLine('');
  printLine(`Model impact on ${model.metric} (${model.higherIsBetter ? 'higher' : 'lower'} is better), ${model.seeds} paired seeds per state`);
  printLine(`  yardstick: ${model.evaluation.description}`);
  printLine(`  HEAD ${interval(model.full)}   nobody (trivial predictor) ${model.empty.mean.toFixed(4)}   seed noise at HEAD: sd ${model.noise.sd.toFixed(4)}, ±${model.noise.halfWidth.toFixed(4)}`);
  printLine(`  ${model.trainings} trainings run, ${model.cached} reused from the store, ${model.states} distinct states (naive: ${model.naive.commits} for the commits, ${model.naive.coalitions} for every coalition)`);
  printLine('');
  printLine(`${'commit'.padEnd(9)} ${'Δ metric'.padEnd(30)} ${'sig'.padEnd(3)}  author`);
  for (const c of model.commits) {
    const d = c.touchesModel ? delta(c.delta) : '0 (does not touch the model)';
    printLine(`${c.sha.slice(0, 8).padEnd(9)} ${d.padEnd(30)} ${c.significant ? ' * ' : '   '}  ${c.author}${c.problem ? ` — ${c.problem}` : ''}`);
  }
  printLine('');
  const shapleyHead = model.shapley ? `Shapley (${model.shapley.kind}, ${model.shapley.players} players)` : 'Shapley';
  printLine(`${'replay Δ'.padStart(10)} ${'leave-one-out'.padStart(13)}  ${shapleyHead.padEnd(36)} sig  name`);
  for (const c of model.contributors) {
    printLine(
      `${fmt(c.replayDelta).padStart(10)} ${(c.leaveOneOut === null ? '—' : fmt(c.leaveOneOut)).padStart(13)}  ${(c.shapley ? delta(c.shapley) : '—').padEnd(36)} ${c.significant ? ' * ' : '   '}  ${c.name} <${c.email}>${c.bot ? ' [bot]' : ''}`,
    );
  }
  for (const s of model.skipped) printLine(`skipped in ${s.coalitions} coalition${s.coalitions === 1 ? '' : 's'}: ${s.sha.slice(0, 8)} by ${s.author} (it conflicts without a commit outside them)`);
  for (const b of model.bisect) printLine(`drop beyond noise: ${b.sha.slice(0, 8)} by ${b.author} <${b.email}>, ${delta(b.delta)}`);
}

export async function bisectCommand(version: string, ref: string, opts: { good?: string; bad?: string; seeds?: string; evaluation?: string; workers?: string; json?: boolean }) {
  const services = openServices(version);
  try {
    const project = services.projects.find(ref);
    const { seeds, evaluation, workers } = modelRequest(opts);
    const result = await dispatchWithProgress<ModelBisectResult>(services, 'impact:bisect', {
      projectId: project.id,
      ...(opts.good ? { good: opts.good } : {}),
      ...(opts.bad ? { bad: opts.bad } : {}),
      ...(seeds ? { seeds } : {}),
      ...(evaluation ? { evaluation } : {}),
      ...(workers ? { workers } : {}),
    });
    if (opts.json) return printJson(result);
    printLine(`${result.metric}: good ${result.good.sha.slice(0, 8)} ${interval(result.good.metric)}, bad ${result.bad.sha.slice(0, 8)} ${interval(result.bad.metric)}`);
    if (!result.dropped) return printLine('No drop beyond seed noise between them: nothing to bisect.');
    for (const s of result.steps) printLine(`  tested ${s.sha.slice(0, 8)} ${interval(s.metric)} ${s.bad ? 'bad' : 'good'}`);
    const f = result.firstBad!;
    printLine(`First bad state: ${f.sha.slice(0, 8)} by ${f.author} <${f.email}>, ${interval(f.metric)} (${result.trainings} trainings)`);
  } finally {
    services.close();
  }
}
