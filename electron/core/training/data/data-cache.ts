// The per-blob cache of loaded, encoded training data in the data folder: one binary file per set of inputs (the
// content of every data file, the manifest's task and `data` section, the cache format), read back in one go, so
// that a rerun or a replay of an unchanged commit skips parsing and encoding. Bounded in size, oldest-used first out.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../../../shared/manifest.js';
import { resolveInsideRepo } from '../../safe-path.js';
import type { DataCacheSettings } from '../portable/trainer-protocol.js';
import { decodeRecord, encodeRecord } from './binary-record.js';
import { partnerFile } from './data-formats.js';

/** Bump when what a loader returns for the same inputs changes: files written before then stop matching. */
export const DATA_CACHE_FORMAT = 1;

/** The cache's default bound on disk. */
export const DEFAULT_DATA_CACHE_MAX_BYTES = 2 * 1024 ** 3;

export type DataCacheOutcome = 'hit' | 'miss' | 'off';

const FILE_SUFFIX = '.bin';
/** A temporary file this old is left over from a process that died while writing. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * The project's data from the cache when its inputs are unchanged; otherwise `load()`'s, then kept for next time.
 * Without settings (or when the inputs cannot be hashed: the loader then reports why) it just loads.
 */
export async function loadThroughCache<T extends object>(
  settings: DataCacheSettings | undefined,
  repoDir: string,
  manifest: Manifest,
  load: () => Promise<T>,
): Promise<{ data: T; cache: DataCacheOutcome }> {
  const maxBytes = settings?.maxBytes ?? DEFAULT_DATA_CACHE_MAX_BYTES;
  const key = settings && maxBytes > 0 ? await dataCacheKey(repoDir, manifest).catch(() => null) : null;
  if (!settings || key === null) return { data: await load(), cache: 'off' };
  const file = path.join(settings.dir, key + FILE_SUFFIX);
  const cached = readCacheFile(file);
  if (cached) return { data: cached as T, cache: 'hit' };
  const data = await load();
  writeCacheFile(settings.dir, file, data, maxBytes);
  return { data, cache: 'miss' };
}

/**
 * sha256 of everything the loaded data depends on: the cache format, the task, the manifest's `data` section, and
 * the content of each data file (and of the file read with it: an IDX labels file, a y.npy; an image folder: every
 * file under it, by relative path) — all that the loaders read (a loader that starts reading more of the manifest
 * must add it here). Paths resolve inside the project only,
 * as the loaders do; a path that does not throws, and the caller skips the cache.
 */
export async function dataCacheKey(repoDir: string, manifest: Manifest): Promise<string> {
  const { data } = manifest;
  const inputs: [string, string][] = [];
  const files = data.images
    ? { 'images.train': data.images.train, 'images.validation': data.images.validation, 'images.test': data.images.test }
    : { train: data.train, validation: data.validation, test: data.test };
  for (const [what, relative] of Object.entries(files)) {
    if (relative === undefined) continue;
    const abs = resolveInsideRepo(repoDir, relative, `data.${what}`);
    inputs.push([what, data.images ? await hashFolder(abs) : await hashFile(abs)]);
    const partner = data.images ? null : partnerFile(abs, relative); // an IDX labels file, a y.npy
    if (partner) inputs.push([`${what} partner`, await hashFile(partner)]);
  }
  const hash = crypto.createHash('sha256');
  hash.update(canonicalJson({ format: DATA_CACHE_FORMAT, task: manifest.task, data, inputs }));
  return hash.digest('hex');
}

/** Streamed sha256 of a file's content. */
async function hashFile(abs: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  const handle = await fs.promises.open(abs, 'r');
  try {
    const chunk = Buffer.allocUnsafe(4 * 1024 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/** sha256 over a folder's files, sorted by relative path: each path and its content hash (a link: its target text). */
async function hashFolder(root: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      const relative = prefix + entry.name;
      if (entry.isSymbolicLink()) hash.update(`link ${relative} ${fs.readlinkSync(abs)}\n`);
      else if (entry.isDirectory()) await walk(abs, relative + '/');
      else if (entry.isFile()) hash.update(`file ${relative} ${await hashFile(abs)}\n`);
    }
  };
  await walk(root, '');
  return hash.digest('hex');
}

/** JSON with object keys sorted, so that the same settings always hash the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The cached object, or null for a missing file or one that is not whole (which is then removed). */
function readCacheFile(file: string): unknown {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return null;
  }
  let value: unknown;
  try {
    value = decodeRecord(bytes, DATA_CACHE_FORMAT);
  } catch {
    value = null; // a header that parses but does not describe this file's arrays
  }
  if (value === null || typeof value !== 'object') {
    fs.rmSync(file, { force: true });
    return null;
  }
  const now = new Date();
  try {
    fs.utimesSync(file, now, now); // its mtime is its last use: the bound removes the least recently used first
  } catch {
    // Read-only or removed meanwhile: the data is in hand either way.
  }
  return value;
}

/** Writes atomically (a temporary file renamed into place), then trims the folder to `maxBytes`; never throws. */
function writeCacheFile(dir: string, file: string, value: object, maxBytes: number): void {
  const { pieces, bytes } = encodeRecord(value, DATA_CACHE_FORMAT);
  if (bytes > maxBytes) return;
  const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    const fd = fs.openSync(temp, 'w');
    try {
      for (const piece of pieces) fs.writeSync(fd, piece);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch {
    fs.rmSync(temp, { force: true }); // a full disk or a read-only folder: train without the cache
    return;
  }
  pruneDataCache(dir, maxBytes);
}

/** Removes the least recently used cache files until the rest fit in `maxBytes`, and stale temporary files. */
export function pruneDataCache(dir: string, maxBytes: number): void {
  const now = Date.now();
  const files: { file: string; size: number; mtimeMs: number }[] = [];
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      continue;
    }
    if (name.endsWith('.tmp') && now - stat.mtimeMs > STALE_TEMP_MS) fs.rmSync(file, { force: true });
    else if (name.endsWith(FILE_SUFFIX)) files.push({ file, size: stat.size, mtimeMs: stat.mtimeMs });
  }
  files.sort((a, b) => b.mtimeMs - a.mtimeMs);
  let total = 0;
  for (const entry of files) {
    total += entry.size;
    if (total > maxBytes) fs.rmSync(entry.file, { force: true });
  }
}
