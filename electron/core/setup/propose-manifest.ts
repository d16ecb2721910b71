// Proposes a modelcommons.json for a repository that has none: from the files found, a sample of the chosen data
// and the person's answers, it picks the task, label, features and model (the repository's model file, or a small
// template), and asks one question when it cannot choose.
import type { Manifest } from '../../../shared/manifest.js';
import type { ImageFolderFound, SetupAnswers, SetupColumn, SetupProposal } from '../../../shared/setup.js';
import { AppError } from '../app-error.js';
import type { SetupFiles } from './find-setup-files.js';
import type { DataFileSample } from './sample-binary-table.js';
import { describeColumns, type TableSample } from './sample-table.js';

/** Column names that say "this is what to predict", compared without case. */
export const LABEL_NAMES = ['label', 'labels', 'target', 'targets', 'class', 'y', 'outcome', 'output', 'category'] as const;

const PREVIEW_ROWS = 5;
/** The longest side a template CNN sees; larger images are scaled down to it. */
const MAX_IMAGE_SIDE = 64;
/** A whole-number label with at most this many values is taken for classes. */
const MAX_NUMERIC_CLASSES = 20;

export type ProposalCore = Omit<SetupProposal, 'repositoryManifest' | 'overlay'>;

export interface ProposeInput {
  readonly name: string;
  readonly files: SetupFiles;
  readonly answers: SetupAnswers;
  /** Reads the head of a data file (repository-relative path); the files are those of `filesToSample`. */
  readonly sample: (file: string) => TableSample | DataFileSample;
}

/**
 * The data files a proposal may read the head of (the chosen file and the test files it could pair with), for a
 * caller that reads them ahead (Parquet, NumPy and gzip'd files are read asynchronously).
 */
export function filesToSample(files: SetupFiles, answers: SetupAnswers): string[] {
  let chosen: ReturnType<typeof chooseData>;
  try {
    chosen = chooseData(files, answers);
  } catch {
    return []; // proposeManifest reports the bad answer
  }
  if (chosen?.kind !== 'table') return [];
  return [chosen.file, ...siblingCandidates(files, chosen.file, 'test')];
}

/** The data the answers name (or the first found), or null when the repository has none. */
export function chooseData(files: SetupFiles, answers: SetupAnswers): { kind: 'table'; file: string } | { kind: 'images'; folder: ImageFolderFound } | null {
  if (answers.data) {
    const wanted = answers.data.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
    if (files.dataFiles.includes(wanted)) return { kind: 'table', file: wanted };
    const folder = files.imageFolders.find((f) => f.path === wanted);
    if (folder) return { kind: 'images', folder };
    const found = [...files.dataFiles, ...files.imageFolders.map((f) => `${f.path}/`)];
    throw new AppError('invalid-request', `"${answers.data}" is not a data file or image folder found in the project${found.length ? ` (found: ${found.slice(0, 8).join(', ')})` : ''}`);
  }
  if (files.dataFiles.length) return { kind: 'table', file: files.dataFiles[0]! };
  if (files.imageFolders.length) return { kind: 'images', folder: files.imageFolders[0]! };
  return null;
}

export function proposeManifest(input: ProposeInput): ProposalCore {
  const { files, answers } = input;
  const base: ProposalCore = {
    dataFiles: files.dataFiles,
    imageFolders: files.imageFolders,
    modelFiles: files.modelFiles,
    data: null,
    label: null,
    labelCandidates: [],
    task: null,
    features: [],
    leftOut: [],
    model: null,
    question: null,
    notes: [],
    manifest: null,
  };
  const chosen = chooseData(files, answers);
  if (!chosen) {
    return {
      ...base,
      question:
        'No data found in the project: looked for CSV, TSV, JSONL, Parquet, NumPy (.npy, .npz) and MNIST IDX files (also gzip\'d) and for image folders with one subfolder per class. Which file holds the data?',
    };
  }
  const others = [...files.dataFiles, ...files.imageFolders.map((f) => `${f.path}/`)].filter((p) => p !== (chosen.kind === 'table' ? chosen.file : `${chosen.folder.path}/`));
  const notes: string[] = [];
  if (others.length) notes.push(`Also found: ${others.slice(0, 6).join(', ')}${others.length > 6 ? ` and ${others.length - 6} more` : ''}`);
  return chosen.kind === 'images' ? proposeImages(input, base, chosen.folder, notes) : proposeTable(input, base, chosen.file, notes);
}

function proposeTable(input: ProposeInput, base: ProposalCore, file: string, notes: string[]): ProposalCore {
  const { answers } = input;
  const sample = input.sample(file);
  const columns = describeColumns(sample);
  const preview = sample.rows.slice(0, PREVIEW_ROWS);
  const withData: ProposalCore = { ...base, data: { kind: 'table', file, columns, rows: sample.rows.length, preview } };
  if (sample.truncated) notes.push(`Read the first ${sample.rows.length.toLocaleString('en')} rows of ${file} to propose this`);
  if (!sample.rows.length) throw new AppError('invalid-request', `${file} has a header but no rows`);
  if (columns.length < 2) throw new AppError('invalid-request', `${file} has one column ("${columns[0]!.name}"): a label and at least one feature are needed`);

  let label: string;
  let labelCandidates: string[];
  if (answers.label) {
    if (!columns.some((c) => c.name === answers.label)) {
      throw new AppError('invalid-request', `"${answers.label}" is not a column of ${file} (columns: ${columns.map((c) => c.name).join(', ')})`);
    }
    label = answers.label;
    labelCandidates = [label];
  } else {
    const named = columns.filter((c) => (LABEL_NAMES as readonly string[]).includes(c.name.toLowerCase())).map((c) => c.name);
    if (named.length > 1) {
      return {
        ...withData,
        labelCandidates: named,
        notes,
        question: `Which column of ${file} is the label: ${named.map((n) => `"${n}"`).join(' or ')}?`,
      };
    }
    label = named[0] ?? columns[columns.length - 1]!.name;
    labelCandidates = named.length ? named : [label];
    notes.push(named.length ? `Label: "${label}", by its name` : `Label: "${label}", the last column (no column is named ${LABEL_NAMES.slice(0, 5).join(', ')} …)`);
  }
  const labelColumn = columns.find((c) => c.name === label)!;
  if (labelColumn.distinct < 2) throw new AppError('invalid-request', `The label "${label}" of ${file} has ${labelColumn.distinct === 0 ? 'no values' : 'the same value in every row read'}: there is nothing to learn`);
  if (labelColumn.missing) notes.push(`${labelColumn.missing} rows have no "${label}": training refuses them (fill them in, or remove those rows)`);

  const task = answers.task ?? inferTask(labelColumn, sample, columns.indexOf(labelColumn));
  if (!answers.task) {
    notes.push(
      task === 'classification'
        ? `Task: classification, ${labelColumn.type === 'text' ? 'the label is text' : `the label has ${labelColumn.distinct} whole-number values`} (or choose regression)`
        : `Task: regression, the label is a number with ${labelColumn.distinct} values (or choose classification)`,
    );
  }
  if (task === 'regression' && labelColumn.type === 'text') {
    throw new AppError('invalid-request', `The label "${label}" of ${file} is text, not numbers: it can only be predicted by classification`);
  }

  const leftOut: { column: string; reason: string }[] = [];
  const features: string[] = [];
  for (const c of columns) {
    if (c.name === label) continue;
    const why = whyLeftOut(c, sample.rows.length);
    if (why) leftOut.push({ column: c.name, reason: why });
    else features.push(c.name);
  }
  if (!features.length) {
    throw new AppError('invalid-request', `${file}: no column can be a feature (${leftOut.map((l) => `"${l.column}": ${l.reason}`).join('; ')})`);
  }
  const impute: Record<string, 'median' | 'mostFrequent'> = {};
  for (const c of columns) if (features.includes(c.name) && c.missing > 0) impute[c.name] = c.type === 'number' ? 'median' : 'mostFrequent';
  if (Object.keys(impute).length) notes.push(`Missing values filled from the training rows in: ${Object.keys(impute).join(', ')}`);

  const classes = labelColumn.distinct;
  const testFile = (sample as DataFileSample).alsoTest ? file : siblingFile(input, file, 'test', [label, ...features]);
  if (testFile === file) notes.push(`Test rows: the test arrays of ${file} (x_test, y_test)`);
  else if (testFile) notes.push(`Test rows: ${testFile} (it has the same columns)`);
  const { model, modelSpec } = chooseModel(input, () =>
    task === 'classification'
      ? { layers: [{ type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: classes, activation: 'softmax' }], summary: `dense 32 relu → dense ${classes} softmax (a small dense network)` }
      : { layers: [{ type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: 1, activation: 'linear' }], summary: 'dense 32 relu → dense 1 (a small dense network)' },
  );
  const manifest: Manifest = {
    name: input.name,
    task,
    data: {
      train: file,
      ...(testFile ? { test: testFile } : {}),
      label,
      features,
      split: { test: 0.2, validation: 0.1, seed: 42 },
      normalize: 'standard',
      ...(Object.keys(impute).length ? { impute } : {}),
    },
    model: modelSpec,
    training: { epochs: 30, batchSize: 32, optimizer: 'adam', learningRate: 0.01, seed: 7, earlyStopping: { patience: 5, minDelta: 0, restoreBestWeights: true } },
    metrics: { primary: task === 'classification' ? 'accuracy' : 'r2' },
  };
  return { ...withData, label, labelCandidates, task, features, leftOut, model, notes, manifest };
}

function proposeImages(input: ProposeInput, base: ProposalCore, folder: ImageFolderFound, notes: string[]): ProposalCore {
  if (input.answers.task === 'regression') throw new AppError('invalid-request', `${folder.path}/ is an image folder: image folders are for classification`);
  const [h, w] = folder.size ?? [MAX_IMAGE_SIDE, MAX_IMAGE_SIDE];
  const scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(h, w));
  const size: [number, number] = [Math.max(1, Math.round(h * scale)), Math.max(1, Math.round(w * scale))];
  if (scale < 1) notes.push(`Images are ${h}×${w}; scaled to ${size[0]}×${size[1]} for training`);
  const sibling = (names: string[]) => {
    if (!/(^|\/)train$/i.test(folder.path)) return undefined;
    const parent = folder.path.replace(/\/?[^/]+$/, '');
    return input.files.imageFolders.find((f) => names.some((n) => f.path === (parent ? `${parent}/${n}` : n)))?.path;
  };
  const validation = sibling(['val', 'valid', 'validation']);
  const test = sibling(['test']);
  const classes = folder.classes.length;
  const channels = folder.channels;
  const deep = Math.min(...size) >= 12;
  const { model, modelSpec } = chooseModel(input, () => ({
    layers: [
      { type: 'reshape', targetShape: [size[0], size[1], channels] },
      { type: 'conv2d', filters: 8, kernelSize: 3, activation: 'relu', padding: 'same' },
      { type: 'maxPooling2d', poolSize: 2 },
      ...(deep ? [{ type: 'conv2d', filters: 16, kernelSize: 3, activation: 'relu', padding: 'same' as const }, { type: 'maxPooling2d', poolSize: 2 }] : []),
      { type: 'flatten' },
      { type: 'dense', units: 32, activation: 'relu' },
      { type: 'dense', units: classes, activation: 'softmax' },
    ],
    summary: `${deep ? 'two' : 'one'} conv2d + max-pooling block${deep ? 's' : ''} → dense 32 → dense ${classes} softmax (a small CNN)`,
  }));
  notes.push(`Classes: ${folder.classes.slice(0, 10).join(', ')}${classes > 10 ? ` and ${classes - 10} more` : ''} (${folder.images} images)`);
  const manifest: Manifest = {
    name: input.name,
    task: 'classification',
    data: {
      images: { train: folder.path, ...(validation ? { validation } : {}), ...(test ? { test } : {}), size, channels },
      split: { test: 0.2, validation: 0.1, seed: 42 },
      normalize: 'standard',
    },
    model: modelSpec,
    training: { epochs: 10, batchSize: 32, optimizer: 'adam', learningRate: 0.001, seed: 7, earlyStopping: { patience: 3, minDelta: 0, restoreBestWeights: true } },
    metrics: { primary: 'accuracy' },
  };
  return { ...base, data: { kind: 'images', folder }, label: null, labelCandidates: [], task: 'classification', features: [], model, notes, manifest };
}

type Template = { layers: NonNullable<Manifest['model']['layers']>; summary: string };

/** The model file the answers name (or the first found), else the template. */
function chooseModel(input: ProposeInput, template: () => Template): { model: NonNullable<ProposalCore['model']>; modelSpec: Manifest['model'] } {
  const { answers, files } = input;
  const wanted = answers.model?.replace(/\\/g, '/').replace(/^\.\//, '');
  if (wanted !== 'template') {
    const file = wanted ? files.modelFiles.find((f) => f.path === wanted) : files.modelFiles[0];
    if (wanted && !file) {
      throw new AppError('invalid-request', `"${answers.model}" is not a model file found in the project (found: ${files.modelFiles.map((f) => f.path).join(', ') || 'none'}; or "template")`);
    }
    if (file) {
      const what = file.kind === 'tfjs' ? 'a tfjs model' : 'a Keras model';
      return {
        model: { kind: 'file', file: file.path, summary: `${what} from ${file.path}` },
        modelSpec: file.kind === 'tfjs' ? { tfjs: file.path } : { keras: file.path },
      };
    }
  }
  const t = template();
  return { model: { kind: 'template', file: null, summary: t.summary }, modelSpec: { layers: t.layers } };
}

/** Text labels, and whole numbers with few values, are classes; other numbers are a quantity to predict. */
function inferTask(label: SetupColumn, sample: TableSample, index: number): 'classification' | 'regression' {
  if (label.type === 'text') return 'classification';
  const wholeNumbers = sample.rows.every((r) => r[index] === '' || Number.isInteger(Number(r[index])));
  return wholeNumbers && label.distinct <= MAX_NUMERIC_CLASSES && label.distinct <= Math.max(2, sample.rows.length / 2) ? 'classification' : 'regression';
}

/** Why a column should not be a feature: an id, no values, or text too varied to be a category (the loader refuses it). */
function whyLeftOut(c: SetupColumn, rows: number): string | null {
  if (c.missing === rows) return 'it has no values';
  if (/^(id|index|unnamed: ?\d*|)$/i.test(c.name) || /[_ -]id$/i.test(c.name)) return 'an id, not a property of the row';
  if (c.type === 'text' && (c.distinct > 1000 || (rows >= 20 && c.distinct > rows / 2))) {
    return `text with ${c.distinct} distinct values in ${rows} rows, too many for a category`;
  }
  return null;
}

/** Data files found beside `file` named like it with "test" for "train" (MNIST: "t10k"), or test.<ext>. */
function siblingCandidates(files: SetupFiles, file: string, kind: 'test'): string[] {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  const base = file.slice(dir.length);
  const ext = /\.[a-z]+\.gz$/i.exec(base)?.[0] ?? base.slice(base.lastIndexOf('.'));
  const names = new Set([base.replace(/train/i, kind), base.replace(/^train(?=-images-idx)/i, 't10k'), `${kind}${ext}`].filter((n) => n !== base));
  return [...names].map((n) => dir + n).filter((candidate) => files.dataFiles.includes(candidate));
}

/** A file beside `file` named like it with "test" for "train" (or test.csv), when it has every column the manifest uses. */
function siblingFile(input: ProposeInput, file: string, kind: 'test', needed: string[]): string | undefined {
  for (const candidate of siblingCandidates(input.files, file, kind)) {
    try {
      const head = input.sample(candidate);
      if (needed.every((c) => head.columns.includes(c)) && head.rows.length) return candidate;
    } catch {
      // an unreadable sibling is just not used
    }
  }
  return undefined;
}
