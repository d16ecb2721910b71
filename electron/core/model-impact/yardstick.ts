// The fixed yardstick: one evaluation set (default: the test split at HEAD, the rows the loader itself would test
// on) that every state is scored on, and each state's training inputs derived from it. The loader stays a black
// box: the evaluation rows are written as a file, and a state trains on a derived manifest whose `data.test` is
// that file and whose `data.train` is the state's rows minus every row identical to an evaluation row, so no
// state ever trains on the yardstick. Tabular data only (image folders are refused by the state reader).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { Manifest } from '../../../shared/manifest.js';
import { AppError } from '../app-error.js';
import type { DataRole } from '../training/data/data-formats.js';
import { classIndices, classOrder } from '../training/data/encode.js';
import { readTable, type MaybeCell, type RawTable } from '../training/data/read-table.js';
import { splitRows } from '../training/data/split.js';
import { evaluateClassification, evaluateRegression } from '../training/portable/evaluation.js';
import type { ModelState, StatePath } from './model-states.js';
import type { ReplayGit } from './replay-git.js';
import { partnerKey } from './training-paths.js';

export const EVALUATION_FILE = 'evaluation.csv';
export const DERIVED_TRAIN_FILE = 'train.csv';
/** Metrics where lower is better; every other one (accuracy, f1, r2, roc_auc, …) is higher-is-better. */
const LOWER_IS_BETTER = new Set(['mse', 'rmse', 'mae', 'log_loss']);

export interface Yardstick {
  /** The commit whose test split it is. */
  readonly commit: string;
  /** sha256 of what scores mean: the evaluation rows, the label, the task and the metric. */
  readonly key: string;
  readonly rows: number;
  readonly task: Manifest['task'];
  readonly label: string;
  readonly metric: string;
  readonly higherIsBetter: boolean;
  /** Classification: each evaluation row's label text (McNemar compares correctness row by row). */
  readonly truth: readonly string[] | null;
  /** The trivial predictor's metrics (majority class / mean of HEAD's training labels) on the evaluation rows. */
  readonly trivial: Readonly<Record<string, number>>;
  /** Classification: which evaluation rows the trivial predictor gets right. */
  readonly trivialCorrect: Uint8Array | null;
}

/** What a pool worker is handed for one state: a folder holding the derived manifest's files. */
export interface PreparedState {
  readonly dir: string;
  readonly manifest: Manifest;
}

interface Table {
  readonly columns: string[];
  readonly rows: MaybeCell[][];
}

/** Builds the evaluation set from HEAD's state and prepares states against it, parsing each data blob once. */
export class YardstickBuilder {
  private readonly tables = new Map<string, Promise<Table>>();
  private readonly prepared = new Map<string, Promise<PreparedState>>();
  private evaluation: { yardstick: Yardstick; table: Table; csv: string } | null = null;

  constructor(
    private readonly git: ReplayGit,
    /** A temporary folder owned by the analysis. */
    private readonly workDir: string,
  ) {}

  get yardstick(): Yardstick {
    if (!this.evaluation) throw new Error('The yardstick is not built yet');
    return this.evaluation.yardstick;
  }

  /** The evaluation set: the test split of `head` (its data.test rows, or the loader's seeded split of data.train). */
  async build(head: ModelState, commit: string): Promise<Yardstick> {
    if (head.problem || !head.manifest) throw new AppError('training', `The analysed commit cannot be trained, so there is no yardstick: ${head.problem}`);
    const m = head.manifest;
    const label = m.data.label!;
    const train = await this.table(head, 'data.train');
    const test = m.data.test !== undefined ? await this.table(head, 'data.test') : null;
    const labelAt = columnIndex(train, label, m.data.train!);
    let evalRows: MaybeCell[][];
    let trainRows: MaybeCell[][];
    if (test) {
      evalRows = test.rows.map((r) => reorder(r, test, train.columns));
      trainRows = train.rows;
    } else {
      const labels = train.rows.map((r) => r[labelAt] as string | number);
      const classes = m.task === 'classification' ? classIndices(labels, classOrder([labels], m.data.train!, label)) : undefined;
      const split = splitRows(train.rows.length, m.data.split.test, m.data.split.seed, m.data.train!, classes);
      evalRows = split.test.map((i) => train.rows[i]!);
      trainRows = split.train.map((i) => train.rows[i]!);
    }
    const table: Table = { columns: train.columns, rows: evalRows };
    const csv = Papa.unparse({ fields: table.columns, data: evalRows.map((r) => r.map(cellText)) }, { newline: '\n' }) + '\n';
    const metric = m.metrics?.primary ?? (m.task === 'classification' ? 'accuracy' : 'r2');
    const { metrics: trivial, majority } = trivialMetrics(m.task, trainRows.map((r) => r[labelAt]!), evalRows.map((r) => r[labelAt]!));
    if (!(metric in trivial)) throw new AppError('training', `metrics.primary "${metric}" is not a metric of a ${m.task} model (one of: ${Object.keys(trivial).join(', ')})`);
    const key = createHash('sha256').update(`${m.task}\n${label}\n${metric}\n${csv}`).digest('hex');
    const yardstick: Yardstick = {
      commit,
      key,
      rows: evalRows.length,
      task: m.task,
      label,
      metric,
      higherIsBetter: !LOWER_IS_BETTER.has(metric),
      truth: m.task === 'classification' ? evalRows.map((r) => String(r[labelAt])) : null,
      trivial,
      trivialCorrect: majority === null ? null : Uint8Array.from(evalRows, (r) => (String(r[labelAt]) === majority ? 1 : 0)),
    };
    this.evaluation = { yardstick, table, csv };
    return yardstick;
  }

  /** The folder a state trains from: its training rows minus the yardstick's, the evaluation file, its model files. */
  prepare(state: ModelState): Promise<PreparedState> {
    let p = this.prepared.get(state.hash);
    if (!p) {
      p = this.prepareNow(state);
      this.prepared.set(state.hash, p);
    }
    return p;
  }

  private async prepareNow(state: ModelState): Promise<PreparedState> {
    if (!this.evaluation) throw new Error('The yardstick is not built yet');
    if (state.problem || !state.manifest) throw new Error(`An untrainable state was prepared: ${state.problem}`);
    const m = state.manifest;
    if (m.task !== this.evaluation.yardstick.task) {
      throw new AppError('training', `This state is a ${m.task} model; the yardstick is ${this.evaluation.yardstick.task}`);
    }
    const dir = path.join(this.workDir, 'states', state.hash.slice(0, 32));
    fs.mkdirSync(dir, { recursive: true });
    const train = await this.table(state, 'data.train');
    const { table: evaluation, csv } = this.evaluation;
    // A row is the yardstick's when every column the state reads (its features, or all, and the label) is equal.
    const used = m.data.features ? [...m.data.features, m.data.label!] : train.columns;
    const evalKey = (row: MaybeCell[]) => used.map((c) => cellText(row[evaluation.columns.indexOf(c)] ?? null)).join('\u0000');
    const trainKey = (row: MaybeCell[]) => used.map((c) => cellText(row[train.columns.indexOf(c)] ?? null)).join('\u0000');
    for (const c of used) {
      if (!evaluation.columns.includes(c)) throw new AppError('training', `The evaluation set has no column "${c}" that this state's manifest reads`);
      if (!train.columns.includes(c)) throw new AppError('training', `${m.data.train}: no column "${c}"`);
    }
    const held = new Set(evaluation.rows.map(evalKey));
    const rows = train.rows.filter((r) => !held.has(trainKey(r)));
    if (rows.length === 0) throw new AppError('training', `${m.data.train}: every row is in the evaluation set, nothing is left to train on`);
    fs.writeFileSync(path.join(dir, DERIVED_TRAIN_FILE), Papa.unparse({ fields: train.columns, data: rows.map((r) => r.map(cellText)) }, { newline: '\n' }) + '\n');
    fs.writeFileSync(path.join(dir, EVALUATION_FILE), csv);
    // Model files (keras topology, a tfjs folder) are read at their own paths.
    for (const p of state.paths) {
      if (p.key !== 'model.keras' && p.key !== 'model.tfjs') continue;
      await this.materialize(p.oid!, p.path, p.folder, dir);
    }
    return { dir, manifest: { ...m, data: { ...m.data, train: DERIVED_TRAIN_FILE, test: EVALUATION_FILE } } };
  }

  /** Writes a blob (or a tree's blobs) under `dir` at `rel`, from git's object store. */
  private async materialize(oid: string, rel: string, folder: boolean, dir: string): Promise<void> {
    const files = folder ? (await this.git.listTree(oid)).map((f) => ({ oid: f.oid, rel: rel === '.' ? f.path : `${rel}/${f.path}` })) : [{ oid, rel }];
    const blobs = await this.git.readBlobs(files.map((f) => f.oid));
    files.forEach((f, i) => {
      const target = path.join(dir, f.rel);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, blobs[i]!);
    });
  }

  /** The rows of a state's data file (every column, as the loader's reader parses them), parsed once per blob. */
  private table(state: ModelState, key: 'data.train' | 'data.test'): Promise<Table> {
    const m = state.manifest!;
    // trainingPaths lists a path once: an .npz named by data.train and data.test is under the first key.
    const named = path.posix.normalize((key === 'data.test' ? m.data.test : m.data.train)!.replace(/\\/g, '/'));
    const p = state.paths.find((x) => x.key === key) ?? state.paths.find((x) => x.path === named)!;
    // The file read beside it (IDX labels, y.npy) and the role (an .npz holds the train and test arrays) matter too.
    const partner = state.paths.find((x) => x.key === partnerKey(key) && x.oid !== null);
    const role = key === 'data.test' ? 'test' : 'train';
    const memo = `${p.oid} ${partner?.oid ?? '-'} ${role} ${m.data.label} ${m.data.text?.column ?? ''} ${path.extname(p.path)}`;
    let t = this.tables.get(memo);
    if (!t) {
      t = this.readTableNow(p, partner, role, m);
      this.tables.set(memo, t);
    }
    return t;
  }

  private async readTableNow(p: StatePath, partner: StatePath | undefined, role: DataRole, m: Manifest): Promise<Table> {
    // Written under their own names in a folder of their own, so the reader finds the partner beside the file.
    const folder = path.join(this.workDir, 'blobs', `${p.oid}-${partner?.oid ?? 'alone'}`);
    fs.mkdirSync(folder, { recursive: true });
    const files = partner ? [p, partner] : [p];
    const blobs = await this.git.readBlobs(files.map((f) => f.oid!));
    files.forEach((f, i) => fs.writeFileSync(path.join(folder, path.posix.basename(f.path)), blobs[i]!));
    const raw: RawTable = await readTable(
      path.join(folder, path.posix.basename(p.path)),
      p.path,
      {
        label: m.data.label!,
        labelKind: m.task === 'classification' ? 'class' : 'number',
        features: null,
        imputable: 'all',
        ...(m.data.text ? { rawText: m.data.text.column } : {}),
      },
      { maxRows: 10_000_000, used: 0 },
      role,
    );
    fs.rmSync(folder, { recursive: true, force: true });
    const columns = [...raw.features, m.data.label!];
    const rows: MaybeCell[][] = [];
    for (let i = 0; i < raw.rowCount; i++) rows.push([...raw.featureValues.map((col) => col[i] ?? null), raw.labelValues[i]!]);
    return { columns, rows };
  }
}

function columnIndex(t: Table, column: string, file: string): number {
  const i = t.columns.indexOf(column);
  if (i < 0) throw new AppError('training', `${file}: no column "${column}"`);
  return i;
}

/** A row of `from` with its cells in `columns` order (a column it lacks is empty). */
function reorder(row: MaybeCell[], from: Table, columns: readonly string[]): MaybeCell[] {
  return columns.map((c) => {
    const i = from.columns.indexOf(c);
    return i < 0 ? null : (row[i] ?? null);
  });
}

/** A cell as the loader reads it back: numbers in JavaScript's round-trip form, missing values empty. */
function cellText(cell: MaybeCell): string {
  return cell === null ? '' : String(cell);
}

/** The trivial predictor's metrics: the majority class (ties to the first in class order) or the mean of the training labels. */
function trivialMetrics(
  task: Manifest['task'],
  trainLabels: readonly (string | number | null)[],
  evalLabels: readonly (string | number | null)[],
): { metrics: Record<string, number>; majority: string | null } {
  if (task === 'regression') {
    const y = trainLabels.map(Number);
    const meanY = y.reduce((a, b) => a + b, 0) / y.length;
    return { metrics: evaluateRegression(evalLabels.map(Number), evalLabels.map(() => meanY)), majority: null };
  }
  const labels = classOrder([[...trainLabels, ...evalLabels].map((v) => v ?? '')], 'the evaluation set', 'label');
  const counts = new Array<number>(labels.length).fill(0);
  const index = new Map(labels.map((l, i) => [l, i] as const));
  for (const v of trainLabels) counts[index.get(String(v))!]! += 1;
  const majority = counts.indexOf(Math.max(...counts));
  const probabilities = new Float64Array(evalLabels.length * labels.length);
  for (let i = 0; i < evalLabels.length; i++) probabilities[i * labels.length + majority] = 1;
  const metrics = evaluateClassification(evalLabels.map((v) => index.get(String(v))!), probabilities, labels.length, labels).metrics;
  return { metrics, majority: labels[majority]! };
}
