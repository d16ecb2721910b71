// Benchmark of model impact: a scripted history of ~30 commits by 6 contributors (electron/core/testing/
// model-impact-history.ts, benchHistory), analysed with replay, leave-one-out and exact Shapley over 3 paired
// seeds. Prints the trainings actually run against the naive counts (every commit × seeds; every coalition,
// 2^players × seeds), and the wall time with 1 worker (the anchor) against one worker per core, plus a second
// analysis that reuses the store. Goal: the full report in ≤ 60 s on 2 cores.
//   npx tsx bench/model-impact.ts
import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { analyzeModelImpact } from '../electron/core/model-impact/analyze-model-impact.js';
import { TrainingPool } from '../electron/core/model-impact/training-pool.js';
import { openDatabase } from '../electron/core/store/database.js';
import { ModelTrainingsRepository } from '../electron/core/store/model-trainings-repository.js';
import { tempDir } from '../electron/core/testing/git-fixtures.js';
import { benchHistory } from '../electron/core/testing/model-impact-history.js';

const SEEDS = 3;
const cores = availableParallelism();
const home = tempDir('mc-bench-model-impact-');
const made = Date.now();
const history = benchHistory();
console.log(`history: ${history.commits} commits by ${history.contributors} contributors (+ a bot), built in ${((Date.now() - made) / 1000).toFixed(1)} s; ${cores} cores`);

async function analyse(workers: number, dbName: string, method: 'replay' | 'all' = 'all') {
  const db = openDatabase(path.join(home, dbName));
  const pool = new TrainingPool({ workers });
  const started = Date.now();
  try {
    const report = await analyzeModelImpact(history.repo.dir, { runner: pool, store: new ModelTrainingsRepository(db), seeds: SEEDS, method });
    return { report, seconds: (Date.now() - started) / 1000 };
  } finally {
    await pool.close();
    db.close();
  }
}

try {
  const one = await analyse(1, 'one.db');
  const all = await analyse(cores, 'all.db');
  const again = await analyse(cores, 'all.db');
  const replayOnly = await analyse(cores, 'replay.db', 'replay');
  const r = all.report;
  const sum = r.contributors.reduce((s, c) => s + (c.shapley?.mean ?? 0), 0);
  console.log(`metric ${r.metric}: HEAD ${r.full.mean.toFixed(4)} ± ${r.noise.halfWidth.toFixed(4)}, nobody ${r.empty.mean.toFixed(4)}; Shapley ${r.shapley?.kind} over ${r.shapley?.players} players, Σ = ${sum.toFixed(4)} vs ${(r.full.mean - r.empty.mean).toFixed(4)}`);
  console.log(`trainings run: ${r.trainings} (${r.states} distinct states) vs naive ${r.naive.commits} (commits × seeds) → ${(r.trainings / r.naive.commits).toFixed(2)}×, vs ${r.naive.coalitions} (2^${r.shapley?.players} × seeds) → ${(r.trainings / r.naive.coalitions).toFixed(2)}×`);
  console.log(`replay only (the commits' own states): ${replayOnly.report.trainings} trainings vs naive ${replayOnly.report.naive.commits} → ${(replayOnly.report.trainings / replayOnly.report.naive.commits).toFixed(2)}×, ${replayOnly.seconds.toFixed(1)} s`);
  console.log(`wall time: 1 worker ${one.seconds.toFixed(1)} s (anchor), ${cores} workers ${all.seconds.toFixed(1)} s → ${(one.seconds / all.seconds).toFixed(2)}× faster; goal ≤ 60 s on 2 cores: ${all.seconds <= 60 ? 'met' : 'NOT met'}`);
  console.log(`second analysis from the store: ${again.report.trainings} trainings, ${again.report.cached} reused, ${again.seconds.toFixed(1)} s (${(again.seconds / all.seconds).toFixed(2)}× the first)`);
  for (const c of r.contributors) {
    console.log(`  ${c.name.padEnd(14)} replay ${c.replayDelta.toFixed(4).padStart(8)}  loo ${(c.leaveOneOut ?? 0).toFixed(4).padStart(8)}  shapley ${(c.shapley?.mean ?? 0).toFixed(4).padStart(8)} [${(c.shapley?.low ?? 0).toFixed(4)}, ${(c.shapley?.high ?? 0).toFixed(4)}]${c.significant ? ' *' : ''}`);
  }
  if (r.skipped.length) console.log(`skipped in some coalitions: ${r.skipped.map((s) => `${s.sha.slice(0, 8)} (${s.coalitions})`).join(', ')}`);
} finally {
  history.repo.remove();
  fs.rmSync(home, { recursive: true, force: true });
}
