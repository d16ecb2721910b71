// Reads and validates the catalog.json at the root of a catalog folder (an added catalog's clone, or the bundled one).
import fs from 'node:fs';
import path from 'node:path';
import { CATALOG_FILE, parseCatalogJson, type CatalogFile } from '../../../shared/catalog.js';
import { AppError } from '../app-error.js';

/** Far more than any real catalog; a bigger file is refused before it is read into memory. */
const MAX_CATALOG_BYTES = 16 * 1024 * 1024;

/**
 * `label` names the file in errors (e.g. "catalog.json of https://…"). The file must be a regular file: a
 * symlink in an untrusted clone could point at any file of this machine.
 */
export function readCatalogFile(dir: string, label: string): CatalogFile {
  const file = path.join(dir, CATALOG_FILE);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('invalid-request', `${label} does not exist (it must be at the repository's root)`);
    throw err;
  }
  if (!stat.isFile()) throw new AppError('invalid-request', `${label} is not a regular file (a link or a folder)`);
  if (stat.size > MAX_CATALOG_BYTES) {
    throw new AppError('invalid-request', `${label} is too large (${stat.size} bytes; at most ${MAX_CATALOG_BYTES})`);
  }
  const result = parseCatalogJson(fs.readFileSync(file, 'utf8'), label);
  if (result.kind === 'invalid') throw new AppError('invalid-request', result.message);
  return result.catalog;
}
