// Reads and validates a project's modelcommons.json; every failure names the file and the line/column or key.
import fs from 'node:fs';
import { MANIFEST_FILE, Manifest } from '../../../shared/manifest.js';
import { AppError, oneLine } from '../app-error.js';
import { resolveInsideRepo } from '../safe-path.js';

/**
 * The repository's own manifest; when it has none, the set-up manifest kept for it in the data folder (`overlayFile`,
 * written by `modelcommons init` or the Set up panel), whose paths are relative to the repository root all the same.
 */
export function loadManifest(repoDir: string, overlayFile?: string | null): Manifest {
  return loadManifestWithSource(repoDir, overlayFile).manifest;
}

export function loadManifestWithSource(repoDir: string, overlayFile?: string | null): { manifest: Manifest; source: 'repository' | 'overlay' } {
  let file: string;
  try {
    file = resolveInsideRepo(repoDir, MANIFEST_FILE, MANIFEST_FILE);
  } catch (err) {
    if (err instanceof AppError && err.kind === 'not-found') {
      if (overlayFile && fs.existsSync(overlayFile)) return { manifest: parseManifest(overlayFile, overlayFile), source: 'overlay' };
      throw new AppError('training', `This project has no ${MANIFEST_FILE} at its root, so there is nothing to train (set one up: modelcommons init, or Set up on the Training tab)`);
    }
    throw err;
  }
  return { manifest: parseManifest(file, MANIFEST_FILE), source: 'repository' };
}

/** `name` is how messages call the file: the repository's modelcommons.json, or the overlay's full path. */
function parseManifest(file: string, name: string): Manifest {
  // Editors on Windows save UTF-8 with a byte-order mark; JSON.parse refuses it (catalog.json is read the same way).
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError('training', `${name}: invalid JSON${where(text, err as Error)}`);
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.length ? issue.path.join('.') : '(root)';
    throw new AppError('training', `${name}: "${key}": ${issue.message}`);
  }
  return parsed.data;
}

function where(text: string, err: Error): string {
  const m = /position (\d+)/.exec(err.message);
  // V8 quotes the text around the error, line breaks and all: the message stays one line.
  if (!m) return `: ${oneLine(err.message)}`;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}
