// Model impact, the whole run: the history's model states, the yardstick, paired-seed scores of every state that
// matters, each commit's delta with its significance, and per contributor the replay delta, leave-one-out and
// Shapley values over coalitions replayed with git's own merge. Stored trainings are reused; nothing from the
// repository is executed and nothing is written into the clone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ModelImpact, ModelImpactCommit, ModelImpactContributor, ModelImpactMethod } from '../../../shared/impact.js';
import { AppError } from '../app-error.js';
import type { BotOverrides } from '../impact/bots.js';
import type { IdentityOverrides, Person } from '../impact/identities.js';
import type { ModelTrainingsRepository } from '../store/model-trainings-repository.js';
import type { BackendChoice } from '../../../shared/backends.js';
import { readModelHistory } from './model-history.js';
import { StateReader, type ModelState } from './model-states.js';
import { CoalitionReplayer, modelPathsOf, readByModel, type StatedCommit } from './replay-coalition.js';
import { ReplayGit } from './replay-git.js';
import { EXACT_PLAYER_LIMIT, allCoalitions, exactShapley, sampledShapley, type ShapleyResult } from './shapley.js';
import { StateScorer, type ScoredState, type TrainingProgress } from './state-scorer.js';
import { ALPHA, mcnemarP, meanInterval, pairedTTestP, pointInterval, standardDeviation, type Interval } from './statistics.js';
import type { TrainingRunner } from './training-job.js';
import { YardstickBuilder, type Yardstick } from './yardstick.js';

export interface ModelImpactProgress {
  readonly phase: 'history' | 'states' | 'replay' | 'training';
  readonly done: number;
  readonly total: number;
  readonly etaSeconds: number | null;
}

export interface ModelImpactOptions {
  readonly rev?: string;
  /** Only commits after this revision, or after this date (git's --since) when it names no commit. */
  readonly since?: string;
  readonly until?: string;
  /** Paired trainings per state (seed i is the same in every state); default 3. */
  readonly seeds?: number;
  /** The commit whose test split is the yardstick; default the analysed commit. */
  readonly evaluation?: string;
  readonly method?: ModelImpactMethod;
  /** At most this many new trainings for the Shapley part (stored ones are free); default 2^8 × seeds. */
  readonly budget?: number;
  /** Players above which Shapley values are sampled; default EXACT_PLAYER_LIMIT (8). */
  readonly exactPlayerLimit?: number;
  readonly backend?: BackendChoice;
  readonly identities?: IdentityOverrides;
  readonly bots?: BotOverrides;
  /** List bots that never touched the model too (bots that did are always listed, marked). */
  readonly includeBots?: boolean;
  readonly runner: TrainingRunner;
  readonly store: ModelTrainingsRepository | null;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: ModelImpactProgress) => void;
}

/** The repository side of an analysis, shared with bisect: the walked commits with their states, and the yardstick. */
export interface PreparedAnalysis {
  readonly git: ReplayGit;
  readonly head: string;
  readonly commits: readonly StatedCommit[];
  readonly people: readonly Person[];
  readonly rootTree: string;
  readonly modelPaths: ReadonlySet<string>;
  readonly states: StateReader;
  readonly yardstick: Yardstick;
  readonly scorer: StateScorer;
  readonly headState: ModelState;
  dispose(): void;
}

export async function prepareAnalysis(dir: string, options: ModelImpactOptions): Promise<PreparedAnalysis> {
  const { signal } = options;
  const seeds = options.seeds ?? 3;
  if (!Number.isInteger(seeds) || seeds < 2) throw new AppError('invalid-request', `seeds must be a whole number ≥ 2 (noise needs two), not ${seeds}`);
  const git = await ReplayGit.open(dir, signal);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-model-impact-'));
  const dispose = () => {
    git.dispose();
    fs.rmSync(workDir, { recursive: true, force: true });
  };
  try {
    options.onProgress?.({ phase: 'history', done: 0, total: 1, etaSeconds: null });
    const rev = options.rev ?? 'HEAD';
    const head = await git.resolve(rev);
    if (!head) throw new AppError('not-found', `No commit named ${rev}`);
    const emptyTree = await git.emptyTree();
    // --since takes a revision (commits after it) or, like the contributor report, a date.
    const sinceRev = options.since ? await git.resolve(options.since) : null;
    const history = await readModelHistory(dir, head, emptyTree, {
      ...(sinceRev ? { base: sinceRev } : options.since ? { since: options.since } : {}),
      ...(options.until ? { until: options.until } : {}),
      ...(options.identities ? { identities: options.identities } : {}),
      ...(options.bots ? { bots: options.bots } : {}),
      signal,
    });
    if (!history.commits.length) throw new AppError('not-found', `No commits in the analysed range of ${rev}`);
    options.onProgress?.({ phase: 'states', done: 0, total: history.commits.length, etaSeconds: null });
    const states = new StateReader(git);
    const trees = history.commits.flatMap((c) => [c.tree, c.parentTree]);
    const read = await states.statesOf(trees);
    const modelPaths = modelPathsOf(read);
    const commits: StatedCommit[] = history.commits.map((commit, i) => {
      const state = read[2 * i]!;
      const parentState = read[2 * i + 1]!;
      const touchesModel = state.hash !== parentState.hash;
      return { commit, state, parentState, touchesModel, feedsModel: touchesModel || commit.changed.some((f) => readByModel(f, modelPaths)) };
    });
    const headState = commits.at(-1)!.state;
    const builder = new YardstickBuilder(git, workDir);
    const evaluationSha = options.evaluation ? await git.resolve(options.evaluation) : head;
    if (!evaluationSha) throw new AppError('not-found', `No commit named ${options.evaluation}`);
    const evaluationState = evaluationSha === head ? headState : await states.stateOf((await git.lookup([`${evaluationSha}^{tree}`]))[0]!.oid);
    const yardstick = await builder.build(evaluationState, evaluationSha);
    const scorer = new StateScorer(yardstick, builder, {
      seeds,
      backend: options.backend ?? 'wasm',
      runner: options.runner,
      store: options.store,
      ...(signal ? { signal } : {}),
      onProgress: (p: TrainingProgress) => options.onProgress?.({ phase: 'training', ...p }),
    });
    return { git, head, commits, people: history.people, rootTree: history.rootTree, modelPaths, states, yardstick, scorer, headState, dispose };
  } catch (err) {
    dispose();
    throw err;
  }
}

/** The delta of `after` over `before` on paired seeds, with the paired t-test and (accuracy) McNemar. */
export function compareStates(before: ScoredState, after: ScoredState, metric: string): { delta: Interval; significant: boolean; pValue: number | null; mcnemarP: number | null } {
  if (before.hash === after.hash || (before.trivial && after.trivial)) return { delta: pointInterval(0), significant: false, pValue: null, mcnemarP: null };
  const diffs = after.values.map((v, i) => v - before.values[i]!);
  const pValue = pairedTTestP(diffs);
  let mcnemar: number | null = null;
  if (metric === 'accuracy' && after.correct.every(Boolean) && before.correct.every(Boolean)) {
    let b = 0;
    let c = 0;
    after.correct.forEach((rows, s) => {
      const prior = before.correct[s]!;
      for (let i = 0; i < rows!.length; i++) {
        if (rows![i] && !prior[i]) b++;
        else if (!rows![i] && prior[i]) c++;
      }
    });
    mcnemar = mcnemarP(b, c);
  }
  const significant = pValue < ALPHA && (mcnemar === null || mcnemar < ALPHA);
  return { delta: meanInterval(diffs), significant, pValue, mcnemarP: mcnemar };
}

export async function analyzeModelImpact(dir: string, options: ModelImpactOptions): Promise<ModelImpact> {
  const method = options.method ?? 'all';
  const prepared = await prepareAnalysis(dir, options);
  try {
    return await analyzePrepared(prepared, method, options);
  } finally {
    prepared.dispose();
  }
}

async function analyzePrepared(p: PreparedAnalysis, method: ModelImpactMethod, options: ModelImpactOptions): Promise<ModelImpact> {
  const { commits, yardstick, scorer } = p;
  const seeds = scorer.seeds;
  const metric = yardstick.metric;
  const better = (d: number) => (yardstick.higherIsBetter ? d : -d);

  // Every commit's state and its parent's, trained once per distinct state.
  const commitStates = commits.flatMap((c) => (c.touchesModel ? [c.parentState, c.state] : []));
  const scores = new Map((await p.scorer.scoreAll([p.headState, ...commitStates])).map((s) => [s.hash, s]));
  const scoreOf = (s: ModelState) => scores.get(s.hash) ?? p.scorer.score(s);
  const head = await scoreOf(p.headState);
  // Every other state is compared with HEAD's: a HEAD that fails to train would turn the whole report into zeros.
  if (head.trivial) throw new AppError('training', `Training the analysed commit failed, so nothing can be compared with it: ${head.problem}`);

  const commitRows: ModelImpactCommit[] = [];
  const commitDelta = new Map<string, number>();
  for (const c of commits) {
    const after = await scoreOf(c.state);
    const base = {
      sha: c.commit.sha,
      author: c.commit.author.name,
      email: c.commit.author.email,
      credit: c.commit.credit.map((x) => x.email),
      touchesModel: c.touchesModel,
      // Seeds are numbered from 1, the same training seed in every state (state-scorer.ts).
      runs: after.trivial ? [] : after.values.map((metric, i) => ({ seed: i + 1, metric })),
    };
    if (!c.touchesModel) {
      commitRows.push({ ...base, trained: false, metric: meanInterval([...after.values]), delta: pointInterval(0), significant: false, pValue: null, mcnemarP: null, problem: after.problem });
      continue;
    }
    const cmp = compareStates(await scoreOf(c.parentState), after, metric);
    commitDelta.set(c.commit.sha, cmp.delta.mean);
    commitRows.push({ ...base, trained: !after.trivial, metric: meanInterval([...after.values]), ...cmp, problem: after.problem });
  }

  // Players: everyone a commit feeding the model credits. Everyone else is a null player: exactly 0.
  const players: Person[] = [];
  for (const c of commits) if (c.feedsModel) for (const person of c.commit.credit) if (!players.includes(person)) players.push(person);
  const replayDelta = new Map<number, number>();
  for (const c of commits) {
    const d = commitDelta.get(c.commit.sha) ?? 0;
    for (const person of c.commit.credit) replayDelta.set(person.id, (replayDelta.get(person.id) ?? 0) + d / c.commit.credit.length);
  }

  const replayer = new CoalitionReplayer(p.git, p.states, commits, p.rootTree, p.modelPaths);
  const skipped = new Map<string, number>();
  const coalitionStates = new Map<string, Promise<ModelState>>();
  const keyOf = (members: readonly number[]) => [...members].sort((x, y) => x - y).join(',');
  /** Coalition states (lists of player indices), each replayed once; new ones replayed side by side. */
  const replayAll = async (coalitions: readonly (readonly number[])[]): Promise<ModelState[]> => {
    const fresh = [...new Map(coalitions.filter((m) => !coalitionStates.has(keyOf(m))).map((m) => [keyOf(m), m] as const)).values()];
    if (fresh.length) {
      options.onProgress?.({ phase: 'replay', done: 0, total: fresh.length, etaSeconds: null });
      const replayed = replayer.statesOf(fresh.map((m) => new Set(m.map((i) => players[i]!.id))));
      fresh.forEach((m, i) =>
        coalitionStates.set(
          keyOf(m),
          replayed.then((all) => {
            for (const sha of all[i]!.skipped) skipped.set(sha, (skipped.get(sha) ?? 0) + 1);
            return all[i]!.state;
          }),
        ),
      );
      await replayed;
      options.onProgress?.({ phase: 'replay', done: fresh.length, total: fresh.length, etaSeconds: null });
    }
    return Promise.all(coalitions.map((m) => coalitionStates.get(keyOf(m))!));
  };
  const stateOfCoalition = async (members: readonly number[]) => (await replayAll([members]))[0]!;
  const oracle = async (coalitions: readonly (readonly number[])[]) => {
    const states = await replayAll(coalitions);
    const scored = await scorer.scoreAll(states);
    return scored.map((s) => [...s.values]);
  };

  const wantsShapley = (method === 'shapley' || method === 'all') && players.length > 0;
  // Every coalition's replay in one pass (leave-one-out coalitions are among them) when Shapley will be exact.
  if (wantsShapley && players.length <= (options.exactPlayerLimit ?? EXACT_PLAYER_LIMIT)) await replayAll(allCoalitions(players.length));
  const emptyState = await stateOfCoalition([]);
  const empty = await scorer.score(emptyState);
  // v(nobody) is the trivial predictor; a range that starts later replays onto its base state instead.
  const emptyValues = [...empty.values];

  let leaveOneOut: Map<number, number> | null = null;
  let looSignificant: Map<number, boolean> | null = null;
  if (method === 'loo' || method === 'all') {
    leaveOneOut = new Map();
    looSignificant = new Map();
    const everyone = players.map((_, i) => i);
    const without = await replayAll(everyone.map((i) => everyone.filter((j) => j !== i)));
    const scored = await scorer.scoreAll(without);
    players.forEach((person, i) => {
      const cmp = compareStates(scored[i]!, head, metric);
      leaveOneOut!.set(person.id, cmp.delta.mean);
      looSignificant!.set(person.id, cmp.significant);
    });
  }

  let shapley: ShapleyResult | null = null;
  if (wantsShapley) {
    const k = players.length;
    const budget = options.budget ?? 2 ** EXACT_PLAYER_LIMIT * seeds;
    const limit = options.exactPlayerLimit ?? EXACT_PLAYER_LIMIT;
    let exact = k <= limit;
    if (exact) {
      const states = await replayAll(allCoalitions(k));
      if (scorer.missingTrainings(states) > budget) exact = false;
    }
    shapley = exact
      ? await exactShapley(k, oracle)
      : await sampledShapley(k, oracle, {
          budget,
          // Replaying is cheap next to training: the cost is the trainings the coalitions' states still need.
          cost: async (coalitions) => scorer.missingTrainings(await replayAll(coalitions)),
          wave: Math.max(2, options.runner.concurrency * 2),
        });
  }

  const byId = new Map(players.map((person, i) => [person.id, i] as const));
  const contributors: ModelImpactContributor[] = [];
  const touching = new Set(players.map((x) => x.id));
  for (const person of p.people) {
    const credited = commits.some((c) => c.commit.credit.includes(person));
    if (!credited) continue;
    if (person.bot && !touching.has(person.id) && !options.includeBots) continue;
    const i = byId.get(person.id);
    const phi = shapley ? (i === undefined ? pointInterval(0) : shapley.values[i]!) : null;
    const significant = phi ? i !== undefined && (phi.low > 0 || phi.high < 0) : (looSignificant?.get(person.id) ?? false);
    contributors.push({
      name: person.name,
      email: person.email,
      bot: person.bot,
      replayDelta: replayDelta.get(person.id) ?? 0,
      leaveOneOut: leaveOneOut ? (leaveOneOut.get(person.id) ?? 0) : null,
      shapley: phi,
      significant,
    });
  }
  contributors.sort((a, b) => better(b.shapley?.mean ?? b.replayDelta) - better(a.shapley?.mean ?? a.replayDelta) || a.name.localeCompare(b.name));

  const fullValues = [...head.values];
  const full = meanInterval(fullValues);
  const shapleySum = shapley ? shapley.values.reduce((s, v) => s + v.mean, 0) : 0;
  const noiseSd = standardDeviation(fullValues);
  const people = new Map(commits.map((c) => [c.commit.sha, c.commit.author] as const));
  return {
    metric,
    higherIsBetter: yardstick.higherIsBetter,
    seeds,
    method,
    evaluation: { commit: yardstick.commit, rows: yardstick.rows, description: `the test split at ${yardstick.commit.slice(0, 8)} (${yardstick.rows} rows), the same for every state` },
    trainings: scorer.trainingsRun,
    cached: scorer.cacheHits,
    states: new Set([...scores.keys(), ...(await Promise.all(coalitionStates.values())).map((s) => s.hash)]).size,
    naive: { commits: commits.length * seeds, coalitions: 2 ** players.length * seeds },
    full,
    empty: meanInterval(emptyValues),
    noise: { sd: noiseSd, halfWidth: full.high - full.mean },
    shapley: shapley
      ? { kind: shapley.kind, players: players.length, samples: shapley.samples, efficiencyGap: shapleySum - (full.mean - meanInterval(emptyValues).mean) }
      : null,
    commits: commitRows,
    contributors,
    skipped: [...skipped].map(([sha, n]) => ({ sha, author: people.get(sha)?.name ?? '', coalitions: n })),
    bisect: commitRows
      .filter((c) => c.touchesModel && c.significant && better(c.delta.mean) < 0)
      .map((c) => ({ sha: c.sha, author: c.author, email: c.email, delta: c.delta })),
  };
}
