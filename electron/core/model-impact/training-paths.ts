// The paths a manifest makes training read (data files, image folders, model files): what a model state hashes
// and what a replayed state materializes. Paths are checked the way the loader checks them (no "..", no absolute).
import path from 'node:path';
import type { Manifest } from '../../../shared/manifest.js';
import { dataFormatOf, idxPartner, npyLabelsPartner } from '../training/data/data-formats.js';

export interface TrainingPath {
  /** Repository-relative, with forward slashes. */
  readonly path: string;
  /** The manifest key that names it, for messages. */
  readonly key: string;
  /** A folder is hashed and materialized as a whole (image folders, a tfjs model's folder with its weight files). */
  readonly folder: boolean;
  /** A file read only where it exists (an x.npy's y.npy): a state without it is still trainable. */
  readonly optional?: boolean;
}

/** The file a data file is read with, beside it (an IDX file's images/labels partner, an x.npy's y.npy), if any. */
function dataPartner(file: string): { path: string; optional: boolean } | null {
  const format = dataFormatOf(file);
  if (format === 'idx') return { path: idxPartner(file), optional: false };
  const y = format === 'npy' ? npyLabelsPartner(file) : null;
  return y === null ? null : { path: y, optional: true };
}

/** Normalizes a manifest path; null when it leaves the repository (the loader refuses it, so the state is untrainable). */
function inside(raw: string): string | null {
  const p = path.posix.normalize(raw.replace(/\\/g, '/'));
  if (p.startsWith('/') || p === '..' || p.startsWith('../') || /^[a-zA-Z]:/.test(p)) return null;
  return p.replace(/\/$/, '');
}

export function trainingPaths(manifest: Manifest): { paths: TrainingPath[]; problem: string | null } {
  const out: TrainingPath[] = [];
  const add = (raw: string | undefined, key: string, folder: boolean, optional = false): string | null => {
    if (raw === undefined) return null;
    const p = inside(raw);
    if (p === null) return `${key} "${raw}" leaves the repository`;
    if (!out.some((t) => t.path === p)) out.push({ path: p, key, folder, ...(optional ? { optional } : {}) });
    return null;
  };
  const addData = (raw: string | undefined, key: 'data.train' | 'data.test'): string | null => {
    const partner = raw === undefined || manifest.data.images ? null : dataPartner(raw);
    return add(raw, key, false) ?? (partner ? add(partner.path, partnerKey(key), false, partner.optional) : null);
  };
  const problems = [
    addData(manifest.data.train, 'data.train'),
    addData(manifest.data.test, 'data.test'),
    add(manifest.data.images?.train, 'data.images.train', true),
    add(manifest.data.images?.test, 'data.images.test', true),
    add(manifest.model.keras, 'model.keras', false),
    // A tfjs model.json names its weight files beside it: the folder is what training reads.
    manifest.model.tfjs !== undefined ? add(path.posix.dirname(manifest.model.tfjs.replace(/\\/g, '/')) || '.', 'model.tfjs', true) : null,
  ].filter((p): p is string => p !== null);
  return { paths: out, problem: problems[0] ?? null };
}

/** The key of the file read beside a data file (`data.train partner`), as trainingPaths names it. */
export function partnerKey(key: 'data.train' | 'data.test'): string {
  return `${key} partner`;
}
