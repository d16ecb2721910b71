// Counts the lines each author still owns at a commit: `git blame --porcelain -w` on text files (binary files
// skipped), a few git processes side by side, `.git-blame-ignore-revs` honoured when the commit has one, after
// making sure git's commit-graph has changed-path filters. blameFiles is the one blame loop.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCommitGraph } from './commit-graph.js';
import { readGit, streamGit } from '../git/project-git.js';
import { runPool } from './run-pool.js';

export interface SurvivingLines {
  /** Author as blame reports it (.mailmap applied by git). */
  readonly name: string;
  readonly email: string;
  readonly lines: number;
}

export interface BlameFilesOptions {
  readonly signal?: AbortSignal;
  /** git blame processes side by side. */
  readonly concurrency: number;
  /**
   * Before blaming COMMIT_GRAPH_MIN_FILES files or more, write git's commit-graph with changed-path filters into
   * the repository (commit-graph.ts); default true.
   */
  readonly commitGraph?: boolean;
  /** Called after each file with files done and the total. */
  readonly onFile?: (done: number, total: number) => void;
}

/** A text file at the commit: its path, line count and blob id. */
export interface BlameFile {
  readonly path: string;
  readonly lines: number;
  readonly blob: string;
}

/** Below this many files to blame, an existing commit-graph (lacking only the newest commits) is used as is. */
const COMMIT_GRAPH_MIN_FILES = 16;

/** `git blame` arguments (before the commit and path) of the blame pass. */
export const BLAME_ARGS: readonly string[] = ['--literal-pathspecs', '-c', 'blame.ignoreRevsFile=', 'blame', '--porcelain', '-w', '--no-textconv'];

const CONTEXT = 'Counting surviving lines';

/** Text files at the commit with their line counts and blob ids (binary files, symlinks and submodules left out). */
export async function listBlameFiles(dir: string, commit: string, signal?: AbortSignal): Promise<BlameFile[]> {
  const emptyTree = (await readGit(dir, ['hash-object', '-t', 'tree', '--stdin'], { signal, stdin: '', context: CONTEXT })).trim();
  const [tree, numstat] = await Promise.all([
    readGit(dir, ['ls-tree', '-r', '-z', '--full-tree', commit], { signal, context: CONTEXT }),
    readGit(dir, ['diff-tree', '-r', '-z', '--numstat', '--no-renames', '--no-textconv', emptyTree, commit], { signal, context: CONTEXT }),
  ]);
  const regular = new Map<string, string>();
  for (const entry of tree.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, blob = ''] = entry.slice(0, tab).split(' ');
    if (type === 'blob' && (mode === '100644' || mode === '100755')) regular.set(entry.slice(tab + 1), blob);
  }
  const targets: BlameFile[] = [];
  for (const entry of numstat.split('\0')) {
    const m = /^(\d+)\t(\d+)\t(.*)$/s.exec(entry);
    if (!m) continue; // "-\t-\t…" is binary
    const blob = regular.get(m[3]!);
    if (blob === undefined) continue;
    const lines = Number(m[1]);
    if (lines > 0) targets.push({ path: m[3]!, lines, blob });
  }
  return targets;
}

/** The full shas listed in the commit's `.git-blame-ignore-revs` (comments and junk dropped), or []. */
export async function readIgnoreRevs(dir: string, commit: string, signal?: AbortSignal): Promise<string[]> {
  const text = await readGit(dir, ['cat-file', 'blob', `${commit}:.git-blame-ignore-revs`], { signal, context: CONTEXT }).catch((err: unknown) => {
    if (signal?.aborted) throw err;
    return '';
  });
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => /^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(line));
}

/** Incremental parser of `git blame --porcelain` output: lines per commit and each commit's author. */
export class BlamePorcelainParser {
  private carry = '';
  private sha = '';
  constructor(
    private readonly linesBySha: Map<string, number>,
    private readonly authorBySha: Map<string, { name: string; email: string }>,
  ) {}

  push(text: string): void {
    const lines = (this.carry + text).split('\n');
    this.carry = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  end(): void {
    if (this.carry) this.line(this.carry);
    this.carry = '';
  }

  private line(line: string): void {
    if (line.charCodeAt(0) === 9 /* \t: the line's text */) return;
    if (line.startsWith('author ')) {
      this.author().name = line.slice(7);
      return;
    }
    if (line.startsWith('author-mail ')) {
      this.author().email = line.slice(12).replace(/^<|>$/g, '');
      return;
    }
    const m = /^([0-9a-f]{40,64}) \d+ \d+(?: (\d+))?$/.exec(line);
    if (!m) return;
    this.sha = m[1]!;
    if (m[2]) this.linesBySha.set(this.sha, (this.linesBySha.get(this.sha) ?? 0) + Number(m[2]));
  }

  private author(): { name: string; email: string } {
    let a = this.authorBySha.get(this.sha);
    if (!a) this.authorBySha.set(this.sha, (a = { name: '', email: '' }));
    return a;
  }
}

/**
 * Runs `body` with git blame's arguments, `.git-blame-ignore-revs` passed through a temporary file (removed after)
 * when the commit has one.
 */
async function withBlameArgs<T>(ignoreRevs: readonly string[], body: (args: string[]) => Promise<T>): Promise<T> {
  let tempDir: string | null = null;
  const args = [...BLAME_ARGS];
  try {
    if (ignoreRevs.length > 0) {
      tempDir = await mkdtemp(join(tmpdir(), 'mc-blame-'));
      const file = join(tempDir, 'ignore-revs');
      await writeFile(file, `${ignoreRevs.join('\n')}\n`);
      args.push(`--ignore-revs-file=${file}`);
    }
    return await body(args);
  } finally {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

/** Blamed lines per commit, summed per author identity (name, email case-insensitive). */
function totalsByIdentity(linesBySha: ReadonlyMap<string, number>, authorBySha: ReadonlyMap<string, { name: string; email: string }>): SurvivingLines[] {
  const byIdentity = new Map<string, SurvivingLines>();
  for (const [sha, lines] of linesBySha) {
    const author = authorBySha.get(sha) ?? { name: '', email: '' };
    const key = `${author.name}\n${author.email.toLowerCase()}`;
    const prev = byIdentity.get(key);
    byIdentity.set(key, { name: author.name, email: author.email, lines: (prev?.lines ?? 0) + lines });
  }
  return [...byIdentity.values()];
}

/** Per-file totals summed per author identity (name, email case-insensitive). */
export function sumByIdentity(perFile: Iterable<readonly SurvivingLines[]>): SurvivingLines[] {
  const byIdentity = new Map<string, { name: string; email: string; lines: number }>();
  for (const authors of perFile) {
    for (const a of authors) {
      const key = `${a.name}\n${a.email.toLowerCase()}`;
      const t = byIdentity.get(key);
      if (t) t.lines += a.lines;
      else byIdentity.set(key, { ...a });
    }
  }
  return [...byIdentity.values()];
}

/**
 * The one blame loop: `git blame` (BLAME_ARGS, the commit's ignore-revs) on each file at `commit`, biggest first
 * (which keeps the pool evenly busy), `concurrency` processes side by side. Per path, lines per author identity.
 */
export async function blameFiles(
  dir: string,
  commit: string,
  files: readonly BlameFile[],
  ignoreRevs: readonly string[],
  options: BlameFilesOptions,
): Promise<Map<string, SurvivingLines[]>> {
  const out = new Map<string, SurvivingLines[]>();
  if (files.length === 0) return out;
  const { signal } = options;
  if (options.commitGraph !== false && files.length >= COMMIT_GRAPH_MIN_FILES) await writeCommitGraph(dir, signal);
  const todo = [...files].sort((a, b) => b.lines - a.lines);
  return withBlameArgs(ignoreRevs, async (args) => {
    let done = 0;
    await runPool(todo, options.concurrency, async (f) => {
      const linesBySha = new Map<string, number>();
      const authorBySha = new Map<string, { name: string; email: string }>();
      const parser = new BlamePorcelainParser(linesBySha, authorBySha);
      await streamGit(dir, [...args, commit, '--', f.path], (t) => parser.push(t), { signal, context: CONTEXT });
      parser.end();
      out.set(f.path, totalsByIdentity(linesBySha, authorBySha));
      options.onFile?.(++done, todo.length);
    });
    return out;
  });
}
