// How soon the CLI answers: `--help`, `projects` and `catalog search` against a bare `node -e 0` in the same run
// (goal: each ≤ 0.15 s on the machine named in the README). Medians of --runs launches, a fresh data folder (the
// first launch creates the store; the median is of the launches after it). Besides wall time it prints each
// launch's CPU time (user + system, all threads), steadier than wall time on a busy machine, and what the
// `projects` path loads: the built chunks reachable from dist/cli.js without a dynamic import, and the packages
// left in node_modules (from the build's metafile, dist/.cli-meta.json).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 9;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-cli-start-'));
const cli = path.resolve('bin/modelcommons.js');
if (!fs.existsSync(path.resolve('dist/cli.js'))) throw new Error('run `npm run build` first');

// Each launch appends its CPU milliseconds here as it exits.
const cpuFile = path.join(home, 'cpu.txt');
const cpuProbe = path.join(home, 'cpu-probe.cjs');
fs.writeFileSync(cpuProbe, `process.on('exit', () => { const u = process.cpuUsage(); require('fs').appendFileSync(${JSON.stringify(cpuFile)}, (u.user + u.system) / 1000 + '\\n'); });\n`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function measure(args: string[]): { wall: number; cpu: number } {
  const walls: number[] = [];
  fs.writeFileSync(cpuFile, '');
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--require', cpuProbe, ...args], { env: { ...process.env, MODELCOMMONS_HOME: home }, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}`);
    walls.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  const cpus = fs.readFileSync(cpuFile, 'utf8').trim().split('\n').map(Number);
  return { wall: median(walls), cpu: median(cpus) / 1000 };
}

/** The chunks `projects` loads before it answers, and the packages those import from node_modules. */
function startupSet(): string {
  const metaFile = path.resolve('dist/.cli-meta.json');
  if (!fs.existsSync(metaFile)) return 'no dist/.cli-meta.json (an older build)';
  const { outputs } = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as {
    outputs: Record<string, { bytes: number; imports: { path: string; kind: string; external?: boolean }[] }>;
  };
  const names = Object.keys(outputs);
  const start = ['dist/cli.js', ...names.filter((n) => /^dist\/cli-commands-.*\.js$/.test(n))];
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !outputs[name]) return;
    seen.add(name);
    for (const i of outputs[name].imports) {
      if (i.kind !== 'import-statement') continue;
      if (!i.external) visit(i.path);
      else if (!i.path.startsWith('node:')) packages.add(i.path);
    }
  };
  start.forEach(visit);
  const bytes = [...seen].reduce((sum, n) => sum + outputs[n]!.bytes, 0);
  return `${seen.size} chunks, ${(bytes / 1024).toFixed(0)} KiB; packages from node_modules: ${[...packages].sort().join(', ') || 'none'}`;
}

measure([cli, 'projects']); // creates the store, so every measured launch opens an existing one
const bare = measure(['-e', '0']);
console.log(`node -e 0: ${bare.wall.toFixed(3)} s, CPU ${bare.cpu.toFixed(3)} s (medians of ${runs})`);
for (const command of [['--help'], ['projects'], ['catalog', 'search', 'iris']]) {
  const t = measure([cli, ...command]);
  console.log(
    `modelcommons ${command.join(' ')}: ${t.wall.toFixed(3)} s (${(t.wall / bare.wall).toFixed(1)}× bare node; goal ≤ 0.150 s: ${t.wall <= 0.15 ? 'met' : 'not met'}), CPU ${t.cpu.toFixed(3)} s (bare + ${(t.cpu - bare.cpu).toFixed(3)} s)`,
  );
}
console.log(`projects loads: ${startupSet()}`);
fs.rmSync(home, { recursive: true, force: true });
