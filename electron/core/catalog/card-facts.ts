// The facts a catalog card shows without cloning, computed from a repository (bare or not) at HEAD: a README
// excerpt, a one-line summary of its manifest, its last commit, how many people contributed, and its size.
import fs from 'node:fs';
import path from 'node:path';
import { CATALOG_README_MAX, type CatalogEntry, type CatalogManifestSummary } from '../../../shared/catalog.js';
import { Manifest, MANIFEST_FILE, type LayerSpec } from '../../../shared/manifest.js';
import { markdownExcerpt } from '../../../shared/markdown-excerpt.js';
import { runGit } from '../git/project-git.js';
import { readCommits, readContributors } from '../git/read-history.js';

export type CardFacts = Pick<CatalogEntry, 'readme' | 'manifest' | 'lastCommit' | 'contributors'>;

/** Data files bigger than this are not read to count their rows. */
const MAX_COUNTED_BYTES = 64 * 1024 * 1024;
const IMAGE_FILE = /\.(png|jpe?g)$/i;
const README_FILE = /^readme(\.(md|markdown|txt))?$/i;

export async function computeCardFacts(repoDir: string): Promise<CardFacts> {
  const [readme, manifest, commits, contributors] = await Promise.all([
    readReadme(repoDir),
    readManifestSummary(repoDir),
    readCommits(repoDir, 1),
    readContributors(repoDir),
  ]);
  const last = commits[0];
  return {
    ...(readme !== undefined ? { readme } : {}),
    ...(manifest ? { manifest } : {}),
    ...(last ? { lastCommit: { sha: last.sha, date: last.date, subject: last.subject } } : {}),
    contributors: contributors.length,
  };
}

/** Bytes of the regular files under `dir` (links are not followed). */
export function folderSize(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) total += folderSize(abs);
    else if (entry.isFile()) total += fs.lstatSync(abs).size;
  }
  return total;
}

/** The layers in one line: "dense 16 → dense 3", "reshape 28×28×1 → flatten → dense 128 → dense 10". */
export function summarizeLayers(layers: readonly LayerSpec[]): string {
  const dims = (v: number | readonly number[] | undefined) => (v === undefined ? '' : Array.isArray(v) ? v.join('×') : `${v as number}`);
  const line = layers
    .map((l) => {
      switch (l.type) {
        case 'dense':
        case 'lstm':
          return [l.type, dims(l.units)];
        case 'dropout':
          return [l.type, dims(l.rate)];
        case 'conv2d':
          return [l.type, dims(l.filters), dims(l.kernelSize)];
        case 'maxPooling2d':
        case 'averagePooling2d':
          return [l.type, dims(l.poolSize)];
        case 'reshape':
          return [l.type, dims(l.targetShape)];
        case 'embedding':
          return [l.type, dims(l.outputDim)];
        default:
          return [l.type];
      }
    })
    .map((parts) => parts.filter(Boolean).join(' '))
    .join(' → ');
  return line.length <= 500 ? line : `${line.slice(0, 499)}…`;
}

async function git(repoDir: string, args: string[]): Promise<string> {
  return (await runGit(['--literal-pathspecs', ...args], { cwd: repoDir })).stdout;
}

/** A blob at HEAD as text, or undefined when there is none (or it is too big to read for a card). */
async function readBlob(repoDir: string, file: string): Promise<string | undefined> {
  const clean = file.replace(/^(\.\/)+/, '');
  if (!clean || clean.startsWith('/') || clean.split(/[\\/]/).includes('..')) return undefined;
  try {
    const size = Number((await git(repoDir, ['cat-file', '-s', `HEAD:${clean}`])).trim());
    if (!Number.isFinite(size) || size > MAX_COUNTED_BYTES) return undefined;
    return await git(repoDir, ['cat-file', 'blob', `HEAD:${clean}`]);
  } catch {
    return undefined;
  }
}

async function readReadme(repoDir: string): Promise<string | undefined> {
  const names = (await git(repoDir, ['ls-tree', '--name-only', 'HEAD'])).split('\n').filter((n) => README_FILE.test(n));
  const chosen = names.find((n) => n.toLowerCase() === 'readme.md') ?? names[0];
  const text = chosen === undefined ? undefined : await readBlob(repoDir, chosen);
  return text === undefined ? undefined : markdownExcerpt(text, { maxChars: CATALOG_README_MAX });
}

async function readManifestSummary(repoDir: string): Promise<CatalogManifestSummary | undefined> {
  const text = await readBlob(repoDir, MANIFEST_FILE);
  if (text === undefined) return undefined;
  let manifest: Manifest;
  try {
    manifest = Manifest.parse(JSON.parse(text));
  } catch {
    return undefined;
  }
  const rows = await countRows(repoDir, manifest);
  const { layers, keras, tfjs } = manifest.model;
  const model = layers ? summarizeLayers(layers) : keras ? `Keras model (${keras})` : `tfjs model (${tfjs})`;
  return { task: manifest.task, model, ...(rows !== undefined ? { rows } : {}) };
}

/** Rows of the declared tabular files (train + test), or images in the declared folders. */
async function countRows(repoDir: string, manifest: Manifest): Promise<number | undefined> {
  const { data } = manifest;
  if (data.images) {
    const folders = [data.images.train, data.images.test].filter((f): f is string => !!f).map((f) => f.replace(/^(\.\/)+/, ''));
    if (folders.some((f) => f.startsWith('/') || f.split(/[\\/]/).includes('..'))) return undefined;
    try {
      const files = await git(repoDir, ['ls-tree', '-r', '--name-only', 'HEAD', '--', ...folders]);
      return files.split('\n').filter((f) => IMAGE_FILE.test(f)).length;
    } catch {
      return undefined;
    }
  }
  let rows = 0;
  for (const file of [data.train, data.test]) {
    if (!file) continue;
    const text = await readBlob(repoDir, file);
    if (text === undefined) return undefined;
    const lines = text.split(/\r?\n/).filter((l) => l.trim()).length;
    rows += /\.jsonl$/i.test(file) ? lines : Math.max(0, lines - 1);
  }
  return rows;
}
