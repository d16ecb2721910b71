// Blame keys of the cached blame pass: for each file, the newest commit on the analysed commit's first-parent chain
// whose first-parent diff touches it (why that key is sound: README.md, Incremental re-analysis).
import { streamGit } from '../git/project-git.js';

const CONTEXT = 'Counting surviving lines';

/**
 * For each wanted path, the newest commit on the first-parent chain from `head` (down to, not including,
 * `base` when given) whose diff against its first parent (the whole tree for a root) touches the path.
 * `baseOnChain` says whether the walk ended at `base`, i.e. base is on head's first-parent chain.
 */
export async function lastChangesOnFirstParentChain(
  dir: string,
  head: string,
  wanted: ReadonlySet<string> | null,
  base: string | null,
  signal?: AbortSignal,
): Promise<{ found: Map<string, string>; baseOnChain: boolean }> {
  const found = new Map<string, string>();
  let sha = '';
  let firstParent = '';
  let carry = '';
  const done = new AbortController();
  const stop = () => done.abort();
  signal?.addEventListener('abort', stop, { once: true });
  const token = (raw: string) => {
    const t = raw.startsWith('\n') ? raw.slice(1) : raw;
    if (t.startsWith('\x01')) {
      const [id = '', parents = ''] = t.slice(1).split('\x02');
      sha = id;
      firstParent = parents.split(' ')[0] ?? '';
      return;
    }
    if (!t || !sha || found.has(t) || (wanted && !wanted.has(t))) return;
    found.set(t, sha);
    if (wanted && found.size === wanted.size) stop(); // everything found: no need to walk further
  };
  const args = ['log', '--first-parent', '-m', '--root', '--name-only', '--no-renames', '-z', '--no-color', '--format=%x01%H%x02%P', '--end-of-options', head];
  if (base) args.push(`^${base}`);
  args.push('--');
  try {
    await streamGit(
      dir,
      args,
      (text) => {
        const parts = (carry + text).split('\0');
        carry = parts.pop() ?? '';
        for (const p of parts) token(p);
      },
      { signal: done.signal, context: CONTEXT },
    );
    if (carry) token(carry);
  } catch (err) {
    if (signal?.aborted || !done.signal.aborted) throw err;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  return { found, baseOnChain: base !== null && firstParent === base };
}
