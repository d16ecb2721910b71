// The data file formats a manifest's data.train / data.validation / data.test may name, told apart by the file
// name, and the companion files some of them are read with (an IDX images file and its labels file; X.npy and y.npy).
import fs from 'node:fs';
import path from 'node:path';

export type DataFormat = 'csv' | 'tsv' | 'jsonl' | 'csv.gz' | 'tsv.gz' | 'parquet' | 'npy' | 'npz' | 'idx';

/** Which of the manifest's data files a file is read as: an .npz may hold all three (x_train, y_train, x_test, …). */
export type DataRole = 'train' | 'validation' | 'test';

/** The suffixes that mark an .npz array as one role's: `x_train`, `y_val`, `x_test`. */
export const ROLE_SUFFIXES: Readonly<Record<DataRole, readonly string[]>> = {
  train: ['train'],
  validation: ['val', 'valid', 'validation'],
  test: ['test'],
};

/** For messages: what a data file may be. */
export const DATA_FORMATS_TEXT =
  '.csv, .tsv, .jsonl, .csv.gz, .tsv.gz, .parquet, .npy, .npz or MNIST IDX (*-idx3-ubyte, *-idx1-ubyte, optionally .gz)';

const IDX = /-idx\d-ubyte(\.gz)?$/;

export function dataFormatOf(file: string): DataFormat | null {
  const lower = file.toLowerCase();
  for (const format of ['csv.gz', 'tsv.gz', 'csv', 'tsv', 'jsonl', 'parquet', 'npy', 'npz'] as const) {
    if (lower.endsWith(`.${format}`)) return format;
  }
  if (IDX.test(lower) || /[-.]idx\d$/.test(lower)) return 'idx';
  return null;
}

/** Whether `file` (a base name or path) is a data file of any known format. */
export function isDataFile(file: string): boolean {
  return dataFormatOf(file) !== null;
}

/**
 * The IDX labels file of an IDX images file (`train-images-idx3-ubyte.gz` → `train-labels-idx1-ubyte.gz`, also
 * `train-images.idx3-ubyte`), or the images file of a labels file: the same path with the other word and number.
 */
export function idxPartner(file: string): string {
  const dir = path.posix.dirname(file.replace(/\\/g, '/'));
  const base = path.posix.basename(file.replace(/\\/g, '/'));
  const labels = /idx1/i.test(base);
  const partner = labels
    ? base.replace(/labels/i, (m) => matchCase(m, 'images')).replace(/idx1/i, (m) => matchCase(m, 'idx3'))
    : base.replace(/images/i, (m) => matchCase(m, 'labels')).replace(/idx3/i, (m) => matchCase(m, 'idx1'));
  return dir === '.' ? partner : `${dir}/${partner}`;
}

/**
 * The labels file of a NumPy features file laid out as a pair (`X_train.npy` beside `y_train.npy`, `x.npy` beside
 * `y.npy`): the same name with its first letter x/X made y/Y. null when the name does not start with x.
 */
export function npyLabelsPartner(file: string): string | null {
  const slash = file.replace(/\\/g, '/').lastIndexOf('/');
  const dir = file.slice(0, slash + 1);
  const base = file.slice(slash + 1);
  if (!/^x([_.-]|$)/i.test(base.replace(/\.npy$/i, ''))) return null;
  return `${dir}y${base.slice(1)}`;
}

/**
 * The file `absPath` (the data file as the manifest names it: `file`) is read with, beside it: an IDX file's
 * partner, an x.npy's y.npy. null when the format has none, or the partner is not a regular file there (a link is
 * never followed: it could point outside the project).
 */
export function partnerFile(absPath: string, file: string): string | null {
  const format = dataFormatOf(file);
  const partner = format === 'idx' ? idxPartner(file) : format === 'npy' ? npyLabelsPartner(file) : null;
  if (partner === null) return null;
  const abs = path.join(path.dirname(absPath), path.posix.basename(partner));
  if (abs === absPath) return null;
  try {
    return fs.lstatSync(abs).isFile() ? abs : null;
  } catch {
    return null;
  }
}

function matchCase(found: string, word: string): string {
  return found === found.toUpperCase() ? word.toUpperCase() : word;
}
