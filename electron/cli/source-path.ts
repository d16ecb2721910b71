// A folder typed on the command line means a folder relative to where the person is; the core only takes absolute
// folders (it has no working directory of the person's), so the CLI resolves it here.
import path from 'node:path';
import { isLocalSource } from '../core/git/clone-repository.js';

/** `./repo` or `repo` → an absolute path from the current directory; URLs, `~/…` and `bundled:name` as typed. */
export function fromWorkingDirectory(source: string): string {
  const s = source.trim();
  if (!isLocalSource(s) || /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || s.startsWith('~') || path.isAbsolute(s)) return s;
  return path.resolve(s);
}
