// Builds real git repositories in temp folders for tests and the e2e: fixed authors and dates, no global config.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface FixtureCommit {
  readonly author: string;
  readonly email: string;
  readonly message: string;
  readonly files: Record<string, string | Uint8Array>;
  readonly date?: string;
}

const isolatedEnv = (extra: Record<string, string> = {}) => ({
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
  ...extra,
});

export function git(dir: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'core.hooksPath=/dev/null', ...args], {
    cwd: dir,
    env: isolatedEnv(env),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function tempDir(prefix = 'mc-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function makeRepo(dir: string, commits: readonly FixtureCommit[]): string {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q']);
  commits.forEach((c, i) => {
    for (const [file, content] of Object.entries(c.files)) {
      const abs = path.join(dir, file);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content);
    }
    git(dir, ['add', '-A']);
    const date = c.date ?? new Date(Date.UTC(2026, 0, 1 + i)).toISOString();
    git(dir, ['-c', `user.name=${c.author}`, '-c', `user.email=${c.email}`, 'commit', '-q', '-m', c.message], {
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    });
  });
  return dir;
}

/** Gaussian blobs: `classes` clusters in `features` dimensions, seeded, as CSV text with a `label` column. */
export function blobsCsv(rows: number, features: number, classes: number, seed: number): string {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s ^ (s >>> 15), 1 | s) + 0x6d2b79f5) >>> 0) / 4294967296);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const names = ['setosa', 'versicolor', 'virginica', 'other'];
  const header = [...Array.from({ length: features }, (_, i) => `f${i}`), 'label'].join(',');
  const lines = [header];
  for (let r = 0; r < rows; r++) {
    const c = r % classes;
    const values = Array.from({ length: features }, (_, f) => (c * 1.2 * ((f % 2) * 2 - 1) + gauss()).toFixed(4));
    lines.push([...values, names[c] ?? `class${c}`].join(','));
  }
  return lines.join('\n') + '\n';
}

/** Token-id sequences of `length` for an embedding model: class "high" uses ids 10–19, class "low" ids 0–9. */
export function tokensCsv(rows: number, length: number): string {
  const lines = [[...Array.from({ length }, (_, i) => `t${i}`), 'label'].join(',')];
  for (let i = 0; i < rows; i++) {
    const c = i % 2;
    const ids = Array.from({ length }, (_, j) => (c ? 10 + ((i + j) % 10) : (i * 7 + j) % 10));
    lines.push([...ids, c ? 'high' : 'low'].join(','));
  }
  return lines.join('\n') + '\n';
}

/** size×size grayscale "images" (flat pixel columns) whose left or right half is bright, for a conv model. */
export function halfImagesCsv(rows: number, size: number): string {
  const n = size * size;
  const lines = [[...Array.from({ length: n }, (_, i) => `p${i}`), 'label'].join(',')];
  for (let i = 0; i < rows; i++) {
    const c = i % 2;
    const px = Array.from({ length: n }, (_, p) => (((p % size < size / 2) === (c === 0) ? 0.8 : 0.1) + ((i * 31 + p * 7) % 10) / 50).toFixed(3));
    lines.push([...px, c ? 'right' : 'left'].join(','));
  }
  return lines.join('\n') + '\n';
}

export const tabularManifest = (epochs = 12) => ({
  name: 'blobs',
  task: 'classification',
  data: { train: 'data/train.csv', label: 'label', split: { test: 0.25, seed: 42 } },
  model: {
    layers: [
      { type: 'dense', units: 16, activation: 'relu' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
  },
  training: { epochs, batchSize: 16, optimizer: 'adam', learningRate: 0.02, seed: 7 },
  metrics: { primary: 'accuracy' },
});

/** A small trainable project by two people: a CSV, a manifest and a README. */
export function makeTabularProject(dir: string, epochs = 12, rows = 240): string {
  return makeRepo(dir, [
    {
      author: 'Ada Lovelace',
      email: 'ada@example.org',
      message: 'Add the blobs dataset',
      files: { 'data/train.csv': blobsCsv(rows, 4, 3, 1), 'README.md': '# Blobs\n\nThree gaussian clusters.\n' },
    },
    {
      author: 'Grace Hopper',
      email: 'grace@example.org',
      message: 'Declare the model',
      files: { 'modelcommons.json': JSON.stringify(tabularManifest(epochs), null, 2) + '\n' },
    },
    {
      author: 'Ada Lovelace',
      email: 'ada@example.org',
      message: 'Describe the model',
      files: { 'README.md': '# Blobs\n\nThree gaussian clusters, classified by a small dense network.\n' },
    },
  ]);
}

/** Every file under `dir`, .git included, by path and content (a link by its target): any byte written anywhere changes it. */
export function treeHash(dir: string): string {
  const hash = crypto.createHash('sha256');
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = path.join(rel, e.name);
      if (e.isDirectory()) walk(child);
      else hash.update(`${child}\0${e.isFile() ? fs.readFileSync(path.join(dir, child)).toString('base64') : fs.readlinkSync(path.join(dir, child))}\0`);
    }
  };
  walk('');
  return hash.digest('hex');
}
