// Fuzz properties over the readers of untrusted project files (modelcommons.json, CSV data, catalog.json, Keras
// topologies): every input either parses or raises the app's own one-line AppError, never a TypeError or a
// RangeError. Run with 2,000 cases by fuzz.test.ts and with as many as asked by bench/fuzz.ts.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseCatalogJson } from '../../../shared/catalog.js';
import { MANIFEST_FILE, Manifest } from '../../../shared/manifest.js';
import { AppError, toErrorShape } from '../app-error.js';
import { loadTabularData } from '../training/data/index.js';
import { loadManifest } from '../training/load-manifest.js';
import { planTopology } from '../training/model-sources/topology.js';
import { tabularManifest } from './git-fixtures.js';

/** A failure the fuzz found: not the app's own error, or one spread over several lines. */
export class FuzzCrash extends Error {}

/**
 * Runs `fn`; an AppError is a fine answer (one line as it crosses the contract: toErrorShape), anything else thrown
 * is a crash.
 */
export async function parsesOrAppError(fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof AppError)) {
      const at = err instanceof Error ? (err.stack ?? '').split('\n').find((l) => l.trim().startsWith('at ')) : undefined;
      throw new FuzzCrash(`crash: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}${at ? ` (${at.trim()})` : ''}`);
    }
    const shown = toErrorShape(err).message;
    if (/[\r\n\u2028\u2029]/.test(shown)) throw new FuzzCrash(`an error shown over several lines: ${JSON.stringify(shown.slice(0, 300))}`);
  }
}

/** Values that have broken parsers before: empty and huge, wrong types, prototype keys, controls, odd numbers. */
const nasty = fc.constantFrom<unknown>(
  null, true, false, 0, -0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 1e21, '', ' ', '\u0000', '\uFEFF', '__proto__',
  'constructor', 'toString', '../../etc/passwd', '/etc/passwd', 'C:\\Windows', 'a'.repeat(5000), '\u001b[2J', [], {},
  [[[[]]]], { __proto__: null }, { constructor: 1 },
);
const anyJson = fc.oneof({ depthSize: 'small' }, nasty, fc.jsonValue({ maxDepth: 3 }));

/** A path to somewhere in `value` (indices taken modulo each container's size) and what to put there. */
const mutation = fc.record({ at: fc.array(fc.nat(), { maxLength: 6 }), to: fc.option(anyJson, { nil: undefined }), renameKey: fc.option(fc.string(), { nil: undefined }) });

function applyMutation(value: unknown, m: { at: number[]; to: unknown; renameKey: string | undefined }): unknown {
  const root = structuredClone(value);
  let parent: Record<string, unknown> | unknown[] | null = null;
  let key: string | number | null = null;
  let here: unknown = root;
  for (const step of m.at) {
    if (Array.isArray(here) && here.length) {
      parent = here;
      key = step % here.length;
    } else if (here && typeof here === 'object' && Object.keys(here).length) {
      const keys = Object.keys(here);
      parent = here as Record<string, unknown>;
      key = keys[step % keys.length]!;
    } else break;
    here = (parent as Record<string | number, unknown>)[key];
  }
  if (parent === null || key === null) return m.to;
  if (Array.isArray(parent)) {
    if (m.to === undefined) parent.splice(key as number, 1);
    else parent[key as number] = m.to;
  } else if (m.renameKey !== undefined) {
    parent[m.renameKey] = parent[key as string];
    delete parent[key as string];
  } else if (m.to === undefined) delete parent[key as string];
  else parent[key as string] = m.to;
  return root;
}

/** Text derived from a valid document: mutated, truncated, with a BOM or garbage, or no JSON at all. */
function documentText(valid: unknown): fc.Arbitrary<string> {
  const text = JSON.stringify(valid, null, 2);
  return fc.oneof(
    fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => JSON.stringify(ms.reduce((v, m) => applyMutation(v, m), valid as unknown)) ?? 'undefined'),
    fc.nat({ max: text.length }).map((n) => text.slice(0, n)),
    fc.constantFrom('\uFEFF', '', ' \n', '\u0000', '//', '\uFFFD').map((prefix) => prefix + text),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.integer({ min: 1, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  );
}

/** modelcommons.json files written into `dir` and read by loadManifest. */
export function manifestProperty(dir: string) {
  return fc.asyncProperty(documentText(tabularManifest(3)), async (text) => {
    fs.writeFileSync(path.join(dir, MANIFEST_FILE), text);
    await parsesOrAppError(() => loadManifest(dir));
  });
}

/** catalog.json text: parseCatalogJson answers ok or invalid (a one-line message), and never throws. */
export function catalogProperty() {
  const valid = {
    name: 'Lab',
    description: 'A catalog',
    entries: [
      { name: 'iris', url: 'https://h.example/iris.git', description: 'd', task: 'classification', license: 'MIT', tags: ['tabular'], size: 10, manifest: { task: 'classification', model: 'dense 3', rows: 150 } },
      { name: 'b', url: 'bundled:iris-classifier', description: '', task: 'other', license: 'CC-BY-4.0', lastCommit: { sha: 'a'.repeat(40), date: '2026-01-01', subject: 's' } },
    ],
  };
  return fc.asyncProperty(documentText(valid), async (text) => {
    await parsesOrAppError(() => {
      const result = parseCatalogJson(text, 'catalog.json');
      if (result.kind === 'invalid' && /[\r\n]/.test(result.message)) throw new FuzzCrash(`a catalog message over several lines: ${JSON.stringify(result.message.slice(0, 300))}`);
    });
  });
}

/** Keras topologies (mutations of a real tf.keras Sequential model, and arbitrary or deeply nested JSON). */
export function topologyProperty(sequentialFixture: unknown) {
  return fc.asyncProperty(documentText(sequentialFixture), async (text) => {
    let topology: unknown;
    try {
      topology = JSON.parse(text);
    } catch {
      return; // not JSON: the file reader's error, before any topology check
    }
    await parsesOrAppError(() => planTopology(topology, 'model.keras "model.json"', 4, 3, 'classification'));
  });
}

/** A cell of a data file: numbers, words, blanks, quotes, separators, line breaks and controls. */
const cell = fc.oneof(
  fc.double({ noNaN: false }).map(String),
  fc.integer().map(String),
  fc.constantFrom('', ' ', 'NaN', 'Infinity', '-Infinity', '1e999', '"', '""', '"a,b"', '"x\ny"', ',', '\t', '\r', '\n', '\uFEFF', '\u0000', 'setosa', 'versicolor', 'null', 'true', '0x1F', '1,5', 'é', '\u001b[2J'),
  fc.string({ maxLength: 8 }),
);

/** CSV (and TSV/JSONL) data read by loadTabularData under a classification or regression manifest. */
export function tabularDataProperty(dir: string) {
  const table = fc.record({
    header: fc.oneof(fc.constant<string[]>(['f0', 'f1', 'label']), fc.array(fc.oneof(fc.constantFrom('f0', 'label', '', 'f0 '), fc.string({ maxLength: 5 })), { maxLength: 5 })),
    rows: fc.array(fc.array(cell, { maxLength: 5 }), { maxLength: 40 }),
    separator: fc.constantFrom(',', ',', '\t', ';'),
    lineEnd: fc.constantFrom('\n', '\r\n', '\r'),
    task: fc.constantFrom('classification', 'regression'),
    format: fc.constantFrom('csv', 'csv', 'tsv', 'jsonl'),
    impute: fc.boolean(),
  });
  return fc.asyncProperty(table, async (t) => {
    const file = `data/train.${t.format}`;
    fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
    const text =
      t.format === 'jsonl'
        ? t.rows.map((r) => JSON.stringify(Object.fromEntries(t.header.map((h, i) => [h, r[i] === undefined ? null : Number.isNaN(Number(r[i])) ? r[i] : Number(r[i])])))).join(t.lineEnd)
        : [t.header, ...t.rows].map((r) => r.join(t.separator)).join(t.lineEnd);
    fs.writeFileSync(path.join(dir, file), text);
    const base = tabularManifest(1);
    const manifest = Manifest.parse({
      ...base,
      task: t.task,
      data: { ...base.data, train: file, ...(t.impute ? { impute: 'mean' } : {}) },
      model: { layers: [{ type: 'dense', units: t.task === 'classification' ? 3 : 1, ...(t.task === 'classification' ? { activation: 'softmax' } : {}) }] },
      metrics: { primary: t.task === 'classification' ? 'accuracy' : 'r2' },
    });
    await parsesOrAppError(() => loadTabularData(dir, manifest));
  });
}
