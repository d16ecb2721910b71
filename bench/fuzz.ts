// The fuzzers of untrusted project files at scale: manifests, catalog.json, Keras topologies and tabular data files,
// each with --cases inputs (100,000 by default; CI runs 2,000 in electron/core/fuzz.test.ts). Prints cases per second
// and exits non-zero on the first crash (an error that is not the app's own AppError), naming the input and seed.
// Run: npx tsx bench/fuzz.ts [--cases N] [--seed S] [--only manifest,catalog,topology,tabular]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { catalogProperty, manifestProperty, tabularDataProperty, topologyProperty } from '../electron/core/testing/fuzz-properties.js';

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const cases = Number(flag('--cases') ?? 100_000);
if (!Number.isInteger(cases) || cases <= 0) throw new Error(`--cases must be a positive whole number, not "${flag('--cases')}"`);
const seed = flag('--seed') !== undefined ? Number(flag('--seed')) : Date.now() % 2 ** 31;
const only = flag('--only')?.split(',');

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-bench-fuzz-'));
const sequential = JSON.parse(fs.readFileSync(new URL('../electron/core/training/model-sources/fixtures/sequential-dense.json', import.meta.url), 'utf8')) as unknown;
const dir = (name: string) => {
  const folder = path.join(root, name);
  fs.mkdirSync(folder, { recursive: true });
  return folder;
};

let failed = false;

async function run<Ts extends [unknown]>(name: string, property: () => fc.IAsyncPropertyWithHooks<Ts>): Promise<void> {
  if (only && !only.includes(name)) return;
  const started = performance.now();
  const result = await fc.check(property(), { numRuns: cases, seed });
  const seconds = (performance.now() - started) / 1000;
  if (result.failed) {
    failed = true;
    console.log(`${name.padEnd(9)} CRASH after ${result.numRuns} cases: ${String((result.errorInstance as Error | undefined)?.message ?? result.errorInstance)}`);
    console.log(`${''.padEnd(9)} input: ${JSON.stringify(result.counterexample).slice(0, 500)}`);
  } else {
    console.log(`${name.padEnd(9)} ${result.numRuns.toLocaleString('en')} cases, 0 crashes, ${seconds.toFixed(1)} s (${Math.round(result.numRuns / seconds).toLocaleString('en')} cases/s)`);
  }
}

console.log(`fuzz: ${cases.toLocaleString('en')} cases per reader, seed ${seed}`);
try {
  await run('manifest', () => manifestProperty(dir('manifest')));
  await run('catalog', () => catalogProperty());
  await run('topology', () => topologyProperty(sequential));
  await run('tabular', () => tabularDataProperty(dir('tabular')));
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
