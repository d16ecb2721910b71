// Looks through a repository (reading only, symlinks never followed) for what training could use: data files
// (CSV/TSV/JSONL, gzip'd CSV/TSV, Parquet, NumPy .npy/.npz, MNIST IDX), image folders with one subfolder per class,
// and model files (Keras, tfjs).
import fs from 'node:fs';
import path from 'node:path';
import type { ImageFolderFound, ModelFileKind } from '../../../shared/setup.js';
import { dataFormatOf, idxPartner, npyLabelsPartner } from '../training/data/data-formats.js';
import { imageInfo, isImageFile } from './image-info.js';

export interface SetupFiles {
  readonly dataFiles: string[];
  readonly imageFolders: ImageFolderFound[];
  readonly modelFiles: { path: string; kind: ModelFileKind }[];
}

const SKIPPED_DIRS = new Set(['node_modules', '__pycache__', 'venv', 'env', 'site-packages', 'dist', 'build']);
const MAX_DEPTH = 6;
const MAX_ENTRIES = 20_000;
/** A .json file larger than this is not read to tell whether it is a model topology. */
const MAX_MODEL_JSON = 20 * 1024 * 1024;

/** Repository-relative paths with forward slashes, sorted so that shallower and more data-like files come first. */
export function findSetupFiles(repoDir: string): SetupFiles {
  const dataFiles: string[] = [];
  const imageFolders: ImageFolderFound[] = [];
  const modelFiles: { path: string; kind: ModelFileKind }[] = [];
  let seen = 0;
  const walk = (rel: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(repoDir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
    for (const e of entries) {
      if (++seen > MAX_ENTRIES) return;
      if (e.name.startsWith('.')) continue;
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) subdirs.push(child);
        continue;
      }
      if (!e.isFile()) continue; // symlinks and the like are never followed
      const lower = e.name.toLowerCase();
      if (dataFormatOf(lower) !== null) {
        if (!isPartnerOfAnother(e.name, names)) dataFiles.push(child);
      } else if (lower.endsWith('.keras')) modelFiles.push({ path: child, kind: 'keras-archive' });
      else if (/\.(h5|hdf5)$/.test(lower)) modelFiles.push({ path: child, kind: 'keras-h5' });
      else if (lower.endsWith('.json')) {
        const kind = modelJsonKind(path.join(repoDir, child));
        if (kind) modelFiles.push({ path: child, kind });
      }
    }
    const folder = classFolder(repoDir, rel, subdirs);
    if (folder) {
      imageFolders.push(folder);
      return; // the class folders are the data: nothing else to find inside them
    }
    if (depth < MAX_DEPTH) for (const d of subdirs) walk(d, depth + 1);
  };
  walk('', 0);
  const byDepth = (a: string, b: string) => a.split('/').length - b.split('/').length || preferTrain(a) - preferTrain(b) || (a < b ? -1 : a > b ? 1 : 0);
  dataFiles.sort(byDepth);
  imageFolders.sort((a, b) => byDepth(a.path, b.path));
  return { dataFiles, imageFolders, modelFiles };
}

/**
 * Whether a data file is read as the partner of another one beside it (an IDX labels file, a y.npy): it is not a
 * data file of its own.
 */
function isPartnerOfAnother(name: string, names: ReadonlySet<string>): boolean {
  const format = dataFormatOf(name);
  if (format === 'idx') return /idx1/i.test(name) && names.has(idxPartner(name));
  if (format === 'npy' && /^y/i.test(name)) {
    return [...names].some((other) => other !== name && npyLabelsPartner(other) === name);
  }
  return false;
}

/** Files and folders named like training data sort before their test and validation siblings. */
function preferTrain(p: string): number {
  const base = p.split('/').pop()!.toLowerCase();
  if (/train/.test(base)) return 0;
  if (/(test|val|valid|validation)/.test(base)) return 2;
  return 1;
}

/** A folder whose subfolders (two or more) hold images is a class folder: the subfolder names are the classes. */
function classFolder(repoDir: string, rel: string, subdirs: string[]): ImageFolderFound | null {
  if (subdirs.length < 2) return null;
  const classes: string[] = [];
  let images = 0;
  let first: string | null = null;
  for (const d of subdirs) {
    let files: string[];
    try {
      files = fs.readdirSync(path.join(repoDir, d), { withFileTypes: true }).filter((f) => f.isFile() && isImageFile(f.name)).map((f) => f.name).sort();
    } catch {
      continue;
    }
    if (!files.length) continue;
    classes.push(d.split('/').pop()!);
    images += files.length;
    first ??= path.join(repoDir, d, files[0]!);
  }
  if (classes.length < 2 || !first) return null;
  const info = imageInfo(first);
  return { path: rel || '.', classes, images, size: info ? [info.height, info.width] : null, channels: info?.channels ?? 3 };
}

/** Whether a .json file is a Keras topology (model.to_json()) or a tfjs LayersModel model.json. */
function modelJsonKind(file: string): ModelFileKind | null {
  try {
    if (fs.statSync(file).size > MAX_MODEL_JSON) return null;
    const json = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as Record<string, unknown>;
    if (!json || typeof json !== 'object') return null;
    if ('modelTopology' in json && 'weightsManifest' in json) return 'tfjs';
    const cls = json['class_name'];
    if (typeof cls === 'string' && /^(Sequential|Model|Functional)$/.test(cls) && typeof json['config'] === 'object') return 'keras-json';
    return null;
  } catch {
    return null;
  }
}
