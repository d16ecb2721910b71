// Scripted project histories with planted model effects, for the model-impact tests and bench: real git
// repositories (TestRepo) whose commits add data, corrupt and fix labels, tweak hyperparameters, edit docs and CI.
import type { Who } from './test-git-repo.js';
import { TestRepo } from './test-git-repo.js';

/**
 * An XOR problem (the label says whether f0 and f1 have the same sign; the other features are noise), seeded per
 * row: rows `from` … `from + count - 1`. A few rows do not teach it, a few hundred do.
 */
export function twoClassRows(from: number, count: number, features = 2, seed = 11): string[] {
  const out: string[] = [];
  for (let r = from; r < from + count; r++) {
    let s = (seed * 1_000_003 + r * 7919) >>> 0;
    const rand = () => ((s = (Math.imul(s ^ (s >>> 15), 1 | s) + 0x6d2b79f5) >>> 0) / 4294967296);
    for (let i = 0; i < 3; i++) rand();
    const values = Array.from({ length: features }, () => rand() * 2 - 1);
    out.push([...values.map((v) => v.toFixed(4)), values[0]! * values[1]! > 0 ? 'yes' : 'no'].join(','));
  }
  return out;
}

export const csvHeader = (features = 2) => [...Array.from({ length: features }, (_, i) => `f${i}`), 'label'].join(',');

/** Flips the label of rows whose index mod 5 is below 3 (60 %): the model learns the opposite. */
export function corruptLabels(rows: readonly string[]): string[] {
  return rows.map((row, i) => (i % 5 < 3 ? row.replace(/,(yes|no)$/, (_, l: string) => `,${l === 'yes' ? 'no' : 'yes'}`) : row));
}

export function impactManifest(learningRate = 0.05, epochs = 6) {
  return {
    name: 'planted',
    task: 'classification',
    data: { train: 'data/train.csv', label: 'label', split: { test: 0.25, seed: 42 } },
    model: { layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 2, activation: 'softmax' }] },
    training: { epochs, batchSize: 16, optimizer: 'adam', learningRate, seed: 7 },
    metrics: { primary: 'accuracy' },
  };
}

export const people = {
  ada: { name: 'Ada Lovelace', email: 'ada@example.org' },
  grace: { name: 'Grace Hopper', email: 'grace@example.org' },
  /** Grace under an old address; the .mailmap maps it to grace@example.org. */
  graceOld: { name: 'G. Hopper', email: 'grace@old.example' },
  dan: { name: 'Dan Docs', email: 'dan@example.org' },
  eve: { name: 'Eve Data', email: 'eve@example.org' },
  mallory: { name: 'Mallory Labels', email: 'mallory@example.org' },
  hal: { name: 'Hal Tuner', email: 'hal@example.org' },
  bot: { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' },
} satisfies Record<string, Who>;

export interface PlantedHistory {
  readonly repo: TestRepo;
  readonly sha: {
    readonly data: string;
    readonly manifest: string;
    readonly docs: string;
    readonly bot: string;
    readonly moreData: string;
    readonly corrupt: string;
    readonly fix: string;
    readonly hyper: string;
  };
}

/**
 * Ada adds a little data (and the .mailmap), Grace the manifest, Dan edits the README, dependabot the CI config,
 * Eve adds much more data, Mallory corrupts 60 % of the labels, Grace (old address) fixes them with Ada as
 * co-author, Hal nudges the learning rate within noise.
 */
export function plantedHistory(): PlantedHistory {
  const repo = TestRepo.create();
  const few = twoClassRows(0, 16);
  const many = [...few, ...twoClassRows(16, 384)];
  const csv = (rows: readonly string[]) => `${csvHeader()}\n${rows.join('\n')}\n`;
  const manifest = (lr?: number) => `${JSON.stringify(impactManifest(lr), null, 2)}\n`;
  repo.write('.mailmap', 'Grace Hopper <grace@example.org> <grace@old.example>\n').write('data/train.csv', csv(few)).write('README.md', '# Planted\n');
  const data = repo.commit(people.ada, 'Add a first sample of the data');
  repo.write('modelcommons.json', manifest());
  const manifestSha = repo.commit(people.grace, 'Declare the model');
  repo.write('README.md', '# Planted\n\nA two-class problem with planted effects.\n');
  const docs = repo.commit(people.dan, 'Describe the project');
  repo.write('.github/workflows/ci.yml', 'on: push\njobs: {}\n');
  const bot = repo.commit(people.bot, 'Bump the CI config');
  repo.write('data/train.csv', csv(many));
  const moreData = repo.commit(people.eve, 'Add 384 more rows');
  repo.write('data/train.csv', csv(corruptLabels(many)));
  const corrupt = repo.commit(people.mallory, 'Relabel the data');
  repo.write('data/train.csv', csv(many));
  const fix = repo.commit(people.graceOld, 'Restore the labels\n\nCo-authored-by: Ada Lovelace <ada@example.org>');
  repo.write('modelcommons.json', manifest(0.045));
  const hyper = repo.commit(people.hal, 'Nudge the learning rate');
  return { repo, sha: { data, manifest: manifestSha, docs, bot, moreData, corrupt, fix, hyper } };
}

export interface BenchHistory {
  readonly repo: TestRepo;
  readonly commits: number;
  readonly contributors: number;
}

/**
 * About 30 commits by 6 contributors and a bot: Ada declares the model and the data file, Bo, Cy, Di and Ed each
 * add rows in a region of their own (regions are kept apart by anchor rows, so replaying any coalition's commits
 * merges cleanly), Ed corrupts and later fixes his rows, Fay tunes the training and edits the docs, a bot edits CI.
 */
export function benchHistory(): BenchHistory {
  const repo = TestRepo.create();
  const who = [
    { name: 'Ada Lovelace', email: 'ada@example.org' },
    { name: 'Bo Byte', email: 'bo@example.org' },
    { name: 'Cy Cell', email: 'cy@example.org' },
    { name: 'Di Data', email: 'di@example.org' },
    { name: 'Ed Edge', email: 'ed@example.org' },
    { name: 'Fay Fine', email: 'fay@example.org' },
  ];
  const regions: string[][] = who.map(() => []);
  const anchors = twoClassRows(10_000, who.length);
  let next = 0;
  const write = () => repo.write('data/train.csv', `${csvHeader()}\n${regions.flatMap((rows, i) => [anchors[i]!, ...rows]).join('\n')}\n`);
  const add = (region: number, count: number) => {
    regions[region]!.push(...twoClassRows(next, count));
    next += count;
  };
  let commits = 0;
  const commit = (w: Who, message: string) => {
    repo.commit(w, message);
    commits++;
  };
  let lr = 0.05;
  const manifest = () => repo.write('modelcommons.json', `${JSON.stringify(impactManifest(lr), null, 2)}\n`);
  add(0, 24);
  write();
  manifest();
  repo.write('README.md', '# Bench\n');
  commit(who[0]!, 'Declare the model and the first rows');
  for (let round = 0; round < 4; round++) {
    for (let k = 1; k <= 4; k++) {
      add(k, 14);
      write();
      commit(who[k]!, `Add rows (round ${round + 1})`);
    }
    repo.write('README.md', `# Bench\n\nRound ${round + 1} of data.\n`);
    commit(who[5]!, `Docs for round ${round + 1}`);
    if (round === 1) {
      regions[4] = corruptLabels(regions[4]!);
      write();
      commit(who[4]!, 'Relabel my rows');
    }
    if (round === 2) {
      regions[4] = corruptLabels(regions[4]!); // flipping the same rows again restores them
      write();
      commit(who[4]!, 'Restore my labels');
    }
    if (round % 2 === 1) {
      lr = lr === 0.05 ? 0.045 : 0.05;
      manifest();
      commit(who[5]!, 'Tune the learning rate');
      repo.write('.github/workflows/ci.yml', `on: push\n# round ${round}\n`);
      commit(people.bot, 'Bump CI');
    }
  }
  add(1, 14);
  write();
  commit(who[1]!, 'Add a last batch of rows');
  return { repo, commits, contributors: who.length };
}
