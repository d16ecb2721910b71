// Whether a manifest's model file carries trained weights (so that "Evaluate shipped model" has something to
// evaluate), read from the file's first bytes only: light enough for the host's manifest summary.
import fs from 'node:fs';
import type { Manifest } from '../../../../shared/manifest.js';
import { resolveInsideRepo } from '../../safe-path.js';

/** A tfjs model.json always names its weights; a Keras file has them when it is a .keras archive (zip) or an .h5. */
export function shipsWeights(repoDir: string, manifest: Manifest): boolean {
  if (manifest.model.tfjs !== undefined) return true;
  if (manifest.model.keras === undefined) return false;
  try {
    const head = Buffer.alloc(4);
    const fd = fs.openSync(resolveInsideRepo(repoDir, manifest.model.keras, 'model.keras'), 'r');
    try {
      fs.readSync(fd, head, 0, 4, 0);
    } finally {
      fs.closeSync(fd);
    }
    return head.equals(Buffer.from('PK\x03\x04', 'latin1')) || head.equals(Buffer.from('\x89HDF', 'latin1'));
  } catch {
    return false; // a missing or unreadable file: training says why
  }
}
