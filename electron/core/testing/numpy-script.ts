// Tests that write .npy/.npz files run a NumPy script: the first Python on this machine that has NumPy (the one on
// PATH, then Debian's, where python3-numpy puts it; .ci/run installs it and the preflight names it).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

const PYTHONS = ['python3', '/usr/bin/python3'];
let found: string | null | undefined;

function pythonWithNumpy(): string {
  found ??= PYTHONS.find((p) => spawnSync(p, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0) ?? null;
  if (!found) throw new Error('These tests write NumPy files and no python3 here has NumPy: sudo apt-get install python3-numpy');
  return found;
}

/** Runs `script` after `import numpy as np`, in `dir` (created if absent). */
export function runNumpy(dir: string, script: string): void {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync(pythonWithNumpy(), ['-c', `import numpy as np\n${script}`], { cwd: dir, stdio: 'pipe' });
}
