// How soon the CLI answers: `--help`, `projects` and `catalog search` against a bare `node -e 0` in the same run
// (goal: each ≤ 0.15 s on the machine named in the README). Medians of --runs launches, a fresh data folder.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 9;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-cli-start-'));
const cli = path.resolve('bin/modelcommons.js');
if (!fs.existsSync(path.resolve('dist/cli.js'))) throw new Error('run `npm run build` first');

function median(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { env: { ...process.env, MODELCOMMONS_HOME: home }, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const bare = median(['-e', '0']);
console.log(`node -e 0: ${bare.toFixed(3)} s (median of ${runs})`);
for (const command of [['--help'], ['projects'], ['catalog', 'search', 'iris']]) {
  const t = median([cli, ...command]);
  console.log(`modelcommons ${command.join(' ')}: ${t.toFixed(3)} s (${(t / bare).toFixed(1)}× bare node; goal ≤ 0.150 s: ${t <= 0.15 ? 'met' : 'not met'})`);
}
fs.rmSync(home, { recursive: true, force: true });
