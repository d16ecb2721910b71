// Finds out whether a clone uses Git LFS and which of its files are still pointers waiting for their content.
import fs from 'node:fs';
import path from 'node:path';
import { runGit, toGitError } from './project-git.js';

export interface LfsPointerFile {
  readonly path: string;
  readonly oid: string;
  readonly size: number;
}

export interface LfsState {
  /** Files the repository's `.gitattributes` route through `filter=lfs`, or pointers were found. */
  readonly usesLfs: boolean;
  /** Files (in HEAD) with the `filter=lfs` attribute. */
  readonly trackedFiles: number;
  /** Files whose working-tree content is still an LFS pointer: their content has not been fetched. */
  readonly pointers: readonly LfsPointerFile[];
  /** What fetching the pointers' content would download. */
  readonly missingBytes: number;
}

const POINTER_PREFIX = 'version https://git-lfs.github.com/spec/v1';
/** The LFS spec caps a pointer at 1024 bytes. */
const MAX_POINTER_BYTES = 1024;

/** Parses LFS pointer text; null when `text` is not one. */
export function parseLfsPointer(text: string): { oid: string; size: number } | null {
  if (!text.startsWith(POINTER_PREFIX)) return null;
  const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(text)?.[1];
  const size = /^size (\d+)$/m.exec(text)?.[1];
  return oid && size ? { oid, size: Number(size) } : null;
}

export async function detectLfs(dir: string): Promise<LfsState> {
  try {
    const [attrOut, treeOut] = await Promise.all([
      runGit(['ls-files', '-z', '--', ':(attr:filter=lfs)'], { cwd: dir }),
      runGit(['ls-tree', '-r', '-l', '-z', 'HEAD'], { cwd: dir }),
    ]);
    const tracked = new Set(attrOut.stdout.split('\0').filter(Boolean));
    // Pointers are small regular blobs; a pointer committed without the attribute (a misconfigured repo)
    // counts too, since its content is missing all the same.
    const candidates = treeOut.stdout
      .split('\0')
      .map((entry) => /^(100644|100755) blob [0-9a-f]+\s+(\d+)\t([\s\S]+)$/.exec(entry))
      .filter((m): m is RegExpExecArray => m !== null && Number(m[2]) <= MAX_POINTER_BYTES)
      .map((m) => m[3]!);
    const root = fs.realpathSync(dir);
    const pointers: LfsPointerFile[] = [];
    for (const file of candidates) {
      const pointer = readPointer(root, file);
      if (pointer) pointers.push({ path: file, ...pointer });
    }
    return {
      usesLfs: tracked.size > 0 || pointers.length > 0,
      trackedFiles: tracked.size,
      pointers,
      missingBytes: pointers.reduce((sum, p) => sum + p.size, 0),
    };
  } catch (err) {
    throw toGitError(err, 'Looking for Git LFS files failed');
  }
}

/** Reads a working-tree file if it is a small regular file inside the clone (never through a link). */
function readPointer(root: string, file: string): { oid: string; size: number } | null {
  const abs = path.join(root, file);
  if (!abs.startsWith(root + path.sep)) return null;
  try {
    const stat = fs.lstatSync(abs);
    if (!stat.isFile() || stat.size > MAX_POINTER_BYTES) return null;
    return parseLfsPointer(fs.readFileSync(abs, 'utf8'));
  } catch {
    return null; // deleted or replaced locally
  }
}
