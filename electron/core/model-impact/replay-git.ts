// The git plumbing model impact needs, through the core's one inert runner: objects looked up in batches, blobs
// read as bytes, and synthetic commits and 3-way merges written into a temporary object directory that has the
// clone's objects as an alternate — so replaying coalitions never writes into the clone and is undone by one rm.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readGit, readGitBytes } from '../git/project-git.js';

/** What `git cat-file --batch-check` says about an object name: its id and type, or nothing. */
export interface ObjectInfo {
  readonly oid: string;
  readonly type: 'blob' | 'tree' | 'commit' | 'tag';
  readonly size: number;
}

/** A 3-way merge's tree and the paths git could not merge. */
export interface MergeOutcome {
  readonly tree: string;
  readonly conflicts: readonly string[];
}

/** Fixed identity and dates of synthetic commits: the same inputs give the same commit ids. */
const SYNTHETIC_ENV = {
  GIT_AUTHOR_NAME: 'ModelCommons replay',
  GIT_AUTHOR_EMAIL: 'replay@modelcommons.invalid',
  GIT_COMMITTER_NAME: 'ModelCommons replay',
  GIT_COMMITTER_EMAIL: 'replay@modelcommons.invalid',
  GIT_AUTHOR_DATE: '1000000000 +0000',
  GIT_COMMITTER_DATE: '1000000000 +0000',
};

export class ReplayGit {
  private readonly objectsDir: string;
  private readonly env: Record<string, string>;
  private readonly commitMemo = new Map<string, Promise<string>>();

  private constructor(
    readonly dir: string,
    readonly gitDir: string,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.objectsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-replay-objects-'));
    const clonesObjects = path.resolve(dir, gitDir, 'objects');
    this.env = { ...SYNTHETIC_ENV, GIT_OBJECT_DIRECTORY: this.objectsDir, GIT_ALTERNATE_OBJECT_DIRECTORIES: clonesObjects };
  }

  static async open(dir: string, signal?: AbortSignal): Promise<ReplayGit> {
    const gitDir = (await readGit(dir, ['rev-parse', '--git-dir'], { signal, context: 'Reading the repository' })).trim();
    return new ReplayGit(dir, gitDir, signal);
  }

  private run(args: readonly string[], context: string, extra: { stdin?: string; okExitCodes?: number[] } = {}): Promise<string> {
    return readGit(this.dir, args, { signal: this.signal, context, env: this.env, ...extra });
  }

  /** The full id of a revision, or null when it names nothing. */
  async resolve(rev: string): Promise<string | null> {
    const info = await this.lookup([`${rev}^{commit}`]);
    return info[0]?.oid ?? null;
  }

  /** `git cat-file --batch-check` on many object names (`<tree>:<path>` among them) in one process. */
  async lookup(names: readonly string[]): Promise<(ObjectInfo | null)[]> {
    if (names.length === 0) return [];
    for (const name of names) if (/[\n\r]/.test(name)) throw new Error(`An object name with a line break: ${JSON.stringify(name)}`);
    const out = await this.run(['cat-file', '--batch-check'], 'Reading the model state', { stdin: `${names.join('\n')}\n` });
    const lines = out.split('\n');
    return names.map((_, i) => {
      const m = /^([0-9a-f]{40,64}) (blob|tree|commit|tag) (\d+)$/.exec(lines[i] ?? '');
      return m ? { oid: m[1]!, type: m[2] as ObjectInfo['type'], size: Number(m[3]) } : null;
    });
  }

  /** The bytes of blobs, in one `git cat-file --batch` process. */
  async readBlobs(oids: readonly string[]): Promise<Buffer[]> {
    if (oids.length === 0) return [];
    const out = await readGitBytes(this.dir, ['cat-file', '--batch'], { signal: this.signal, context: 'Reading the model state', env: this.env, stdin: `${oids.join('\n')}\n` });
    const blobs: Buffer[] = [];
    let at = 0;
    for (const oid of oids) {
      const eol = out.indexOf(0x0a, at);
      const header = out.subarray(at, eol).toString('utf8');
      const m = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
      if (!m) throw new Error(`git cat-file: no object ${oid}`);
      const size = Number(m[3]);
      blobs.push(out.subarray(eol + 1, eol + 1 + size));
      at = eol + 1 + size + 1; // the content is followed by a newline
    }
    return blobs;
  }

  /** Every file under a tree, recursively: path (relative to the tree) → blob id. */
  async listTree(tree: string): Promise<{ path: string; oid: string }[]> {
    const out = await this.run(['ls-tree', '-r', '-z', '--full-tree', tree], 'Reading the model state');
    return out
      .split('\0')
      .filter(Boolean)
      .map((entry) => {
        const tab = entry.indexOf('\t');
        const [, type, oid] = entry.slice(0, tab).split(' ');
        return { type, oid: oid!, path: entry.slice(tab + 1) };
      })
      .filter((e) => e.type === 'blob')
      .map(({ path, oid }) => ({ path, oid }));
  }

  /**
   * Synthetic commits of many trees at once (one `git hash-object --stdin-paths` over commit texts written to the
   * temporary folder), memoized (ids are fixed by SYNTHETIC_ENV).
   */
  async commitTrees(specs: readonly { tree: string; parents: readonly string[] }[]): Promise<string[]> {
    const keys = specs.map((c) => `${c.tree} ${c.parents.join(' ')}`);
    const fresh = [...new Set(keys.filter((k) => !this.commitMemo.has(k)))];
    if (fresh.length) {
      const dir = fs.mkdtempSync(path.join(this.objectsDir, 'tmp-commits-'));
      const files = fresh.map((key, i) => {
        const [tree, ...parents] = key.split(' ').filter(Boolean);
        const who = `${SYNTHETIC_ENV.GIT_AUTHOR_NAME} <${SYNTHETIC_ENV.GIT_AUTHOR_EMAIL}> ${SYNTHETIC_ENV.GIT_AUTHOR_DATE}`;
        const text = `tree ${tree}\n${parents.map((p) => `parent ${p}\n`).join('')}author ${who}\ncommitter ${who}\n\nreplay\n`;
        const file = path.join(dir, String(i));
        fs.writeFileSync(file, text);
        return file;
      });
      const made = this.run(['hash-object', '-t', 'commit', '-w', '--stdin-paths'], 'Replaying commits', { stdin: `${files.join('\n')}\n` }).then((out) => {
        fs.rmSync(dir, { recursive: true, force: true });
        return out.split('\n').filter(Boolean);
      });
      fresh.forEach((key, i) => this.commitMemo.set(key, made.then((oids) => oids[i]!)));
    }
    return Promise.all(keys.map((k) => this.commitMemo.get(k)!));
  }

  /**
   * Applies each change `base → theirs` onto `ours` (all trees) with git's own 3-way merge. git 2.39's merge-tree has
   * no --merge-base, so the merge base is made one: synthetic commits of `ours` and `theirs` whose only parent is a
   * synthetic commit of `base`. The commits are written in two hash-object calls, the merges run in one
   * `merge-tree --stdin`.
   */
  async threeWayMerges(merges: readonly { base: string; ours: string; theirs: string }[]): Promise<MergeOutcome[]> {
    if (merges.length === 0) return [];
    const bases = await this.commitTrees(merges.map((m) => ({ tree: m.base, parents: [] })));
    const sides = await this.commitTrees(merges.flatMap((m, i) => [{ tree: m.ours, parents: [bases[i]!] }, { tree: m.theirs, parents: [bases[i]!] }]));
    const stdin = merges.map((_, i) => `${sides[2 * i]} ${sides[2 * i + 1]}`).join('\n');
    const out = await this.run(['merge-tree', '--stdin', '--write-tree', '--name-only', '--no-messages'], 'Replaying commits', { stdin: `${stdin}\n` });
    // Per merge: <clean 1|0> NUL <tree> NUL (<conflicted path> NUL)* NUL
    const tokens = out.split('\0');
    const outcomes: MergeOutcome[] = [];
    let at = 0;
    for (let i = 0; i < merges.length; i++) {
      at++; // the status: the conflict list says the same
      const tree = tokens[at++]!;
      const conflicts: string[] = [];
      while (at < tokens.length && tokens[at] !== '') {
        if (!conflicts.includes(tokens[at]!)) conflicts.push(tokens[at]!);
        at++;
      }
      at++; // the empty token ending the section
      outcomes.push({ tree, conflicts });
    }
    return outcomes;
  }

  /** The id of the empty tree (written into the temporary object directory; sha1 and sha256 repositories differ). */
  async emptyTree(): Promise<string> {
    return (await this.run(['hash-object', '-w', '-t', 'tree', '--stdin'], 'Reading the repository', { stdin: '' })).trim();
  }

  /** Removes the temporary object directory. */
  dispose(): void {
    fs.rmSync(this.objectsDir, { recursive: true, force: true });
  }
}
