// A model state: the hash of exactly what training reads at a tree — the manifest blob and the blob or tree id of
// every path it names — read with git plumbing, never by running anything from the repository. Two commits with
// the same state train the same model, so a commit whose state equals its parent's does not touch the model.
import { createHash } from 'node:crypto';
import { MANIFEST_FILE, Manifest } from '../../../shared/manifest.js';
import type { ReplayGit } from './replay-git.js';
import { trainingPaths, type TrainingPath } from './training-paths.js';

export interface StatePath extends TrainingPath {
  /** The blob or tree id at the state; null when the path is missing. */
  readonly oid: string | null;
}

export interface ModelState {
  /** sha256 over the manifest blob id and every training path's id (hex). */
  readonly hash: string;
  /** The tree the state was read from. */
  readonly tree: string;
  /** The parsed manifest; null when the tree has none or it is invalid (`problem` says which). */
  readonly manifest: Manifest | null;
  readonly paths: readonly StatePath[];
  /** Why this state cannot be trained (no manifest, invalid JSON, a missing data file, image folders): its value is the trivial predictor's. */
  readonly problem: string | null;
}

/** The object name of `path` inside `tree` ("." is the tree itself). */
export function objectName(tree: string, path: string): string {
  return path === '.' ? `${tree}^{tree}` : `${tree}:${path}`;
}

/** What a manifest blob says: the manifest and the paths it names, or why it cannot be trained. */
interface ParsedManifest {
  readonly manifest: Manifest | null;
  readonly wanted: readonly TrainingPath[];
  readonly problem: string | null;
}

function parseManifest(bytes: Buffer): ParsedManifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { manifest: null, wanted: [], problem: `${MANIFEST_FILE}: invalid JSON` };
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { manifest: null, wanted: [], problem: `${MANIFEST_FILE}: "${issue.path.join('.') || '(root)'}": ${issue.message}` };
  }
  const { paths, problem } = trainingPaths(parsed.data);
  return { manifest: parsed.data, wanted: problem ? [] : paths, problem: problem ? `${MANIFEST_FILE}: ${problem}` : null };
}

/** Reads model states of trees, each once, in three git calls per batch of trees (manifests, their blobs, their paths). */
export class StateReader {
  private readonly memo = new Map<string, Promise<ModelState>>();
  private readonly manifests = new Map<string, ParsedManifest>();

  constructor(private readonly git: ReplayGit) {}

  stateOf(tree: string): Promise<ModelState> {
    return this.statesOf([tree]).then((s) => s[0]!);
  }

  async statesOf(trees: readonly string[]): Promise<ModelState[]> {
    const fresh = [...new Set(trees.filter((t) => !this.memo.has(t)))];
    if (fresh.length) {
      const batch = this.readMany(fresh);
      fresh.forEach((tree, i) => this.memo.set(tree, batch.then((states) => states[i]!)));
    }
    return Promise.all(trees.map((t) => this.memo.get(t)!));
  }

  private async readMany(trees: readonly string[]): Promise<ModelState[]> {
    const infos = await this.git.lookup(trees.map((t) => objectName(t, MANIFEST_FILE)));
    const unread = [...new Set(infos.filter((i) => i?.type === 'blob' && !this.manifests.has(i.oid)).map((i) => i!.oid))];
    const blobs = await this.git.readBlobs(unread);
    unread.forEach((oid, i) => this.manifests.set(oid, parseManifest(blobs[i]!)));
    const wanted = trees.map((tree, i) => {
      const info = infos[i];
      return info?.type === 'blob' ? this.manifests.get(info.oid)!.wanted.map((p) => objectName(tree, p.path)) : [];
    });
    const objects = await this.git.lookup(wanted.flat());
    let at = 0;
    return trees.map((tree, i) => {
      const info = infos[i];
      if (!info || info.type !== 'blob') return { hash: hashState(null, []), tree, manifest: null, paths: [], problem: `no ${MANIFEST_FILE} at the root` };
      const parsed = this.manifests.get(info.oid)!;
      const paths: StatePath[] = parsed.wanted.map((p) => ({ ...p, oid: objects[at++]?.oid ?? null }));
      const hash = hashState(info.oid, paths);
      const base = { hash, tree, manifest: parsed.manifest, paths };
      if (parsed.problem) return { ...base, problem: parsed.problem };
      const missing = paths.find((p) => p.oid === null && !p.optional);
      if (missing) return { ...base, problem: `${missing.key} "${missing.path}" is missing` };
      if (parsed.manifest!.data.images) return { ...base, problem: 'image-folder projects are not replayed yet (tabular data only)' };
      return { ...base, problem: null };
    });
  }
}

function hashState(manifestOid: string | null, paths: readonly StatePath[]): string {
  const h = createHash('sha256');
  h.update(`manifest ${manifestOid ?? '-'}\n`);
  for (const p of [...paths].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) h.update(`${p.key} ${p.path} ${p.oid ?? '-'}\n`);
  return h.digest('hex');
}
