// The catalog that ships with the app (built by scripts/build-bundled-catalog.ts): `<dir>/catalog.json` listing
// `bundled:<name>` entries, each a bare repository at `<dir>/examples/<name>.git`, cloned offline.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundledName, BUNDLED_URL_PREFIX, CATALOG_FILE, type CatalogFile } from '../../../shared/catalog.js';
import { AppError } from '../app-error.js';
import { readCatalogFile } from './read-catalog-file.js';

export const BUNDLED_EXAMPLES_DIR = 'examples';

export function readBundledCatalog(dir: string): CatalogFile {
  return readCatalogFile(dir, `the bundled ${CATALOG_FILE} (${path.join(dir, CATALOG_FILE)})`);
}

/** The folder of the bare repository a `bundled:` name stands for (no check that it exists). */
export function bundledRepositoryPath(name: string, dir: string): string {
  return path.join(path.resolve(dir), BUNDLED_EXAMPLES_DIR, `${name}.git`);
}

/** `bundled:<name>` → the `file://` URL of its bare repository; refuses names that are not one plain segment. */
export function resolveBundledUrl(url: string, dir: string): string {
  if (!url.startsWith(BUNDLED_URL_PREFIX)) throw new AppError('invalid-request', `"${url}" is not a bundled: URL`);
  const name = bundledName(url);
  if (name === null) {
    throw new AppError('invalid-request', `"${url}" is not a bundled project name (letters, digits, ".", "_" and "-" only)`);
  }
  const repo = bundledRepositoryPath(name, dir);
  if (!fs.existsSync(path.join(repo, 'HEAD'))) throw new AppError('not-found', `No bundled project named "${name}"`);
  return pathToFileURL(repo).href;
}
