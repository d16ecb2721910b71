// The sizes of the blobs commits left at binary paths (images, weights, arrays): what data credit counts in bytes,
// since `git log --numstat` gives binary files no lines. One `git cat-file --batch-check` reads them all.
import { readGit } from '../git/project-git.js';

/** `<commit sha>:<path>`: the blob a commit leaves at a path (what ImpactTally.binaryBlobs lists). */
export type BlobSpec = string;

/**
 * Size in bytes of each blob, read in one `git cat-file --batch-check` process over stdin. A path the commit
 * deleted (no blob there), a submodule or a path with a newline (one line per query) is left out: it adds no bytes.
 */
export async function readBlobSizes(dir: string, specs: Iterable<BlobSpec>, signal?: AbortSignal): Promise<Map<BlobSpec, number>> {
  const queries = [...new Set(specs)].filter((s) => !s.includes('\n'));
  const sizes = new Map<BlobSpec, number>();
  if (queries.length === 0) return sizes;
  const text = await readGit(dir, ['cat-file', '--batch-check=%(objecttype) %(objectsize)'], {
    signal,
    stdin: `${queries.join('\n')}\n`,
    context: 'Reading the sizes of binary files',
  });
  const lines = text.split('\n');
  queries.forEach((spec, i) => {
    const m = /^blob (\d+)$/.exec(lines[i] ?? '');
    if (m) sizes.set(spec, Number(m[1]));
  });
  return sizes;
}
