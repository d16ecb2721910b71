// A run's test rows, re-loaded through the project's own loader at the run's commit (runs keep their split sizes
// and metrics, not their rows): from the working tree when it is at that commit, else from a temporary shared
// clone checked out there (the project's repository is only read).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Manifest } from '../../../shared/manifest.js';
import { readHead } from '../git/read-history.js';
import { runGit } from '../git/project-git.js';
import { readWorkingTreeStatus } from '../git/working-tree-status.js';
import { loadTabularData } from '../training/data/index.js';
import { loadImageFolderData } from '../training/data/image-folder.js';
import { loadManifest } from '../training/load-manifest.js';
import type { TrainingData } from '../training/portable/train-on-data.js';

export interface RunTestData {
  readonly manifest: Manifest;
  readonly data: TrainingData;
  /** Where the rows were read: the working tree, or a temporary checkout of the run's commit. */
  readonly from: 'working tree' | 'checkout';
}

export async function loadRunTestData(repoDir: string, commit: string, overlayFile: string | null): Promise<RunTestData> {
  if (/^[0-9a-f]{7,64}$/i.test(commit) === false) throw new Error(`Run commit "${commit}" is not a commit id`);
  const head = await readHead(repoDir).catch(() => null);
  const clean = head === commit && (await readWorkingTreeStatus(repoDir)).clean;
  if (clean) return { ...(await loadAt(repoDir, overlayFile)), from: 'working tree' };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modelcommons-run-'));
  try {
    await runGit(['clone', '--quiet', '--no-checkout', '--shared', '--', repoDir, tmp]);
    await runGit(['-C', tmp, 'checkout', '--quiet', '--detach', commit]);
    return { ...(await loadAt(tmp, overlayFile)), from: 'checkout' };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function loadAt(dir: string, overlayFile: string | null): Promise<{ manifest: Manifest; data: TrainingData }> {
  const manifest = loadManifest(dir, overlayFile);
  const data = manifest.data.images
    ? await loadImageFolderData(dir, { images: manifest.data.images, split: manifest.data.split, normalize: manifest.data.normalize })
    : await loadTabularData(dir, manifest);
  return { manifest, data };
}
