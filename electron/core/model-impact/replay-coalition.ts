// A coalition's model state: only its members' commits that feed the model, replayed in order onto the root tree
// with git's own 3-way merge (ReplayGit.threeWayMerges), nothing written into the clone. A commit feeds the model
// when it changes a path some state of the history trains from (data added before any manifest names it feeds
// the model; docs and CI never do, so they are left out), and a conflict on a path no state reads is not a
// conflict for the model. A commit whose model paths conflict without a missing commit is skipped and listed.
import { MANIFEST_FILE } from '../../../shared/manifest.js';
import type { HistoryCommit } from './model-history.js';
import type { ModelState, StateReader } from './model-states.js';
import type { ReplayGit } from './replay-git.js';

/** A commit of the history with its model states (its own and its parent's). */
export interface StatedCommit {
  readonly commit: HistoryCommit;
  readonly state: ModelState;
  readonly parentState: ModelState;
  readonly touchesModel: boolean;
  /** Changes a path some state of the history trains from (or the manifest): replayed in coalitions. */
  readonly feedsModel: boolean;
}

/** Every path any of the states trains from, and the manifest. */
export function modelPathsOf(states: readonly ModelState[]): Set<string> {
  return new Set([MANIFEST_FILE, ...states.flatMap((s) => s.paths.map((p) => p.path))]);
}

/** Whether `file` is, or lies under, one of `modelPaths`. */
export function readByModel(file: string, modelPaths: ReadonlySet<string>): boolean {
  if (modelPaths.has('.') || modelPaths.has(file)) return true;
  for (const m of modelPaths) if (file.startsWith(`${m}/`)) return true;
  return false;
}

export interface CoalitionState {
  readonly state: ModelState;
  /** Member commits that could not be applied without a commit outside the coalition. */
  readonly skipped: readonly string[];
}

export class CoalitionReplayer {
  /** `${tree} ${commit}` → the tree after applying the commit (or null when it conflicts): shared by every coalition. */
  private readonly steps = new Map<string, string | null>();

  constructor(
    private readonly git: ReplayGit,
    private readonly states: StateReader,
    private readonly commits: readonly StatedCommit[],
    private readonly rootTree: string,
    private readonly modelPaths: ReadonlySet<string>,
  ) {}

  /**
   * The states of many coalitions, replayed side by side: each round applies every coalition's next commit, all
   * of the round's 3-way merges in one git call, and steps already taken by another coalition are reused.
   */
  async statesOf(coalitions: readonly ReadonlySet<number>[]): Promise<CoalitionState[]> {
    const walks = coalitions.map((members) => ({
      todo: this.commits.filter((c) => c.feedsModel && c.commit.credit.some((p) => members.has(p.id))),
      at: 0,
      tree: this.rootTree,
      skipped: [] as string[],
    }));
    for (;;) {
      const wanted = new Map<string, { tree: string; c: StatedCommit }>();
      for (const w of walks) {
        // Steps known already (from another coalition, or trivial) are taken at once.
        while (w.at < w.todo.length) {
          const c = w.todo[w.at]!;
          const key = `${w.tree} ${c.commit.sha}`;
          const known = w.tree === c.commit.parentTree ? c.commit.tree : this.steps.get(key);
          if (known === undefined) {
            wanted.set(key, { tree: w.tree, c });
            break;
          }
          if (known === null) w.skipped.push(c.commit.sha);
          else w.tree = known;
          w.at++;
        }
      }
      if (wanted.size === 0) break;
      const list = [...wanted];
      const merged = await this.git.threeWayMerges(list.map(([, { tree, c }]) => ({ base: c.commit.parentTree, ours: tree, theirs: c.commit.tree })));
      list.forEach(([key], i) => {
        const m = merged[i]!;
        this.steps.set(key, m.conflicts.some((p) => readByModel(p, this.modelPaths)) ? null : m.tree);
      });
    }
    const states = await this.states.statesOf(walks.map((w) => w.tree));
    return walks.map((w, i) => ({ state: states[i]!, skipped: w.skipped }));
  }
}
