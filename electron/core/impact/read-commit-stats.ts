// Reads per-commit records (author, date, credit trailers, per-file line counts) from streaming
// `git log -z` passes: one cheap listing pass, then `--numstat` over the non-merge commits, split into
// a few git processes. A record is a pure function of its commit (and the mailmap), so records can be
// stored and only new commits read later.
import { parseCreditTrailers, type CreditTrailer } from './trailers.js';
import { cancelledError, GitError, readGit, streamGit } from '../git/project-git.js';

export interface FileChange {
  /** Path after the commit (the new path of a rename). */
  readonly path: string;
  /** Path before a rename, else null. */
  readonly oldPath: string | null;
  readonly added: number;
  readonly deleted: number;
  /** git reports `-\t-` for binary files: touched, with 0 lines. */
  readonly binary: boolean;
}

export interface CommitRecord {
  readonly sha: string;
  readonly merge: boolean;
  /** Author name and email with .mailmap applied by git (`%aN`, `%aE`). */
  readonly authorName: string;
  readonly authorEmail: string;
  /** Author date, strict ISO 8601 with the author's UTC offset (`%aI`). */
  readonly authorDate: string;
  readonly trailers: readonly CreditTrailer[];
  /** Empty for merges (the listing pass reads no diffs). */
  readonly files: readonly FileChange[];
}

export interface HistoryRange {
  /** Revision to analyse; default HEAD. */
  readonly rev?: string;
  /** Passed to git as `--since` / `--until` (committer dates, as git filters). */
  readonly since?: string | Date;
  readonly until?: string | Date;
}

const FIELD = '\x1f';
const HEADER = '\x01';
/** The --format of every record-reading git call: parsed by CommitLogParser. */
export const RECORD_FORMAT = `--format=${HEADER}%H${FIELD}%P${FIELD}%aN${FIELD}%aE${FIELD}%aI${FIELD}%(trailers:only,unfold)`;

/** Incremental parser of `git log -z [--numstat] --format=<RECORD_FORMAT>` output. */
export class CommitLogParser {
  private carry = '';
  private current: { header: Omit<CommitRecord, 'files'>; files: FileChange[] } | null = null;
  private afterHeader = false;
  private pendingRename: { added: number; deleted: number; binary: boolean; oldPath: string | null } | null = null;

  constructor(private readonly onCommit: (commit: CommitRecord) => void) {}

  push(text: string): void {
    const tokens = (this.carry + text).split('\0');
    this.carry = tokens.pop() ?? '';
    for (const token of tokens) this.token(token);
  }

  end(): void {
    if (this.carry) this.token(this.carry);
    this.carry = '';
    this.flush();
  }

  private token(raw: string): void {
    let token = raw;
    if (this.pendingRename) {
      const rename = this.pendingRename;
      if (rename.oldPath === null) {
        rename.oldPath = token;
        return;
      }
      this.pendingRename = null;
      this.current?.files.push({ path: token, oldPath: rename.oldPath, added: rename.added, deleted: rename.deleted, binary: rename.binary });
      return;
    }
    if (this.afterHeader && token.startsWith('\n')) token = token.slice(1);
    this.afterHeader = false;
    if (token.startsWith(HEADER) || token.startsWith(`\n${HEADER}`)) {
      this.flush();
      this.current = { header: parseHeader(token.slice(token.indexOf(HEADER) + 1)), files: [] };
      this.afterHeader = true;
      return;
    }
    if (!token || !this.current) return;
    const tab1 = token.indexOf('\t');
    const tab2 = token.indexOf('\t', tab1 + 1);
    if (tab1 < 0 || tab2 < 0) throw new Error(`Unexpected git log output: ${JSON.stringify(token.slice(0, 80))}`);
    const a = token.slice(0, tab1);
    const d = token.slice(tab1 + 1, tab2);
    const binary = a === '-' && d === '-';
    const added = binary ? 0 : Number(a);
    const deleted = binary ? 0 : Number(d);
    const path = token.slice(tab2 + 1);
    if (path === '') this.pendingRename = { added, deleted, binary, oldPath: null };
    else this.current.files.push({ path, oldPath: null, added, deleted, binary });
  }

  private flush(): void {
    const c = this.current;
    // A merge's record has no files, whatever diff git may have been asked for.
    if (c) this.onCommit({ sha: c.header.sha, merge: c.header.merge, authorName: c.header.authorName, authorEmail: c.header.authorEmail, authorDate: c.header.authorDate, trailers: c.header.trailers, files: c.header.merge ? [] : c.files });
    this.current = null;
  }
}

function parseHeader(text: string): Omit<CommitRecord, 'files'> {
  const fields = text.split(FIELD);
  const [sha = '', parents = '', authorName = '', authorEmail = '', authorDate = ''] = fields;
  const message = fields.length > 6 ? fields.slice(5).join(FIELD) : (fields[5] ?? '');
  const trailers = message ? parseCreditTrailers(message) : [];
  // %P is the parents separated by single spaces.
  const merge = parents.trim().includes(' ');
  return { sha, merge, authorName, authorEmail, authorDate, trailers };
}

/** The `--since` / `--until` arguments of a range. */
export function rangeArgs(range: HistoryRange): string[] {
  const args: string[] = [];
  const date = (v: string | Date) => (v instanceof Date ? v.toISOString() : v);
  if (range.since !== undefined) args.push(`--since=${date(range.since)}`);
  if (range.until !== undefined) args.push(`--until=${date(range.until)}`);
  return args;
}

/**
 * Resolves the revision to a commit sha, or null when it names no commit (e.g. HEAD of a repository
 * with no commits yet). Not being a repository, and other failures, throw a GitError.
 */
export async function resolveCommit(dir: string, rev = 'HEAD', signal?: AbortSignal): Promise<string | null> {
  let out: string;
  try {
    out = await readGit(dir, ['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`], { signal, context: 'Reading the history' });
  } catch (err) {
    // `rev-parse --verify -q` says nothing and exits 1 when the revision does not exist.
    if (err instanceof GitError && err.gitKind === 'failed' && / exited with 1$/.test(err.message)) return null;
    throw err;
  }
  const sha = out.trim();
  return /^[0-9a-f]{40,64}$/.test(sha) ? sha : null;
}

export interface ReadCommitsOptions {
  readonly signal?: AbortSignal;
  /** git processes run side by side (the commits are cut into this many contiguous slices). */
  readonly concurrency?: number;
  /** Called after each record is read, with how many are done so far. */
  readonly onRecord?: (done: number) => void;
}

/** Below this many commits per slice one git process does it all. */
const MIN_COMMITS_PER_SLICE = 400;

/** `git log` arguments of the records with file changes (non-merge commits). */
export const NUMSTAT_ARGS: readonly string[] = ['-z', '--no-color', '--no-merges', '--numstat', '--find-renames', '--no-textconv', '--no-ext-diff', RECORD_FORMAT];

/** How many slices `commits` commits are cut into for `concurrency` git processes. */
function sliceCount(commits: number, concurrency: number | undefined): number {
  return Math.max(1, Math.min(concurrency ?? 1, Math.floor(commits / MIN_COMMITS_PER_SLICE)));
}

/** Runs a record-printing git command (RECORD_FORMAT, -z), handing each record over as it is parsed. */
export async function streamRecords(dir: string, args: readonly string[], onCommit: (c: CommitRecord) => void, options: { signal?: AbortSignal; stdin?: string }): Promise<void> {
  const parser = new CommitLogParser(onCommit);
  await streamGit(dir, args, (t) => parser.push(t), { ...options, context: 'Reading the history' });
  parser.end();
}

/**
 * Per-commit records (with `--numstat` file changes, renames found) for the given non-merge commits,
 * in the order given. Works on any set of shas, e.g. only the commits added since the last analysis.
 */
export async function readCommitRecords(dir: string, shas: readonly string[], options: ReadCommitsOptions = {}): Promise<CommitRecord[]> {
  if (shas.length === 0) return [];
  const slices = sliceCount(shas.length, options.concurrency);
  const size = Math.ceil(shas.length / slices);
  let done = 0;
  const parts = await Promise.all(
    Array.from({ length: slices }, async (_, i) => {
      const out: CommitRecord[] = [];
      const stdin = `${shas.slice(i * size, (i + 1) * size).join('\n')}\n`;
      await streamRecords(dir, ['log', '--stdin', '--no-walk=unsorted', ...NUMSTAT_ARGS], (c) => {
        out.push(c);
        options.onRecord?.(++done);
      }, { signal: options.signal, stdin });
      return out;
    }),
  );
  if (options.signal?.aborted) throw cancelledError();
  return parts.flat();
}

/**
 * Records without file changes (what readMergeRecords gives for merges) for the given commits, in the
 * order given: used for merge commits added since the last analysis.
 */
export async function readCommitHeaders(dir: string, shas: readonly string[], signal?: AbortSignal): Promise<CommitRecord[]> {
  if (shas.length === 0) return [];
  const out: CommitRecord[] = [];
  await streamRecords(dir, ['log', '--stdin', '--no-walk=unsorted', '-z', '--no-color', RECORD_FORMAT], (c) => out.push(c), { signal, stdin: `${shas.join('\n')}\n` });
  return out;
}

/** The commits in range as `git rev-list` lists them (git log order), kept as git's text: one sha per line. */
export interface CommitList {
  /** How many commits, merges included. */
  readonly count: number;
  /** Whether `sha` is the commit at `position`. */
  isAt(sha: string, position: number): boolean;
  /** The shas at positions from..to-1, one per line: what `git log --stdin` reads. */
  stdin(from: number, to: number): string;
}

/** Lists the commits in range, merges included (one `git rev-list`). */
export async function readCommitList(dir: string, range: HistoryRange = {}, signal?: AbortSignal): Promise<CommitList> {
  const text = await readGit(dir, ['rev-list', ...rangeArgs(range), '--end-of-options', range.rev ?? 'HEAD', '--'], { signal, context: 'Reading the history' });
  const width = text.indexOf('\n') + 1; // every line is one full sha and a newline
  const count = width > 0 ? text.length / width : 0;
  if (!Number.isInteger(count)) throw new GitError('failed', 'Reading the history: git rev-list printed something other than one sha per line');
  return {
    count,
    isAt: (sha, position) => sha.length === width - 1 && text.startsWith(sha, position * width),
    stdin: (from, to) => text.slice(from * width, to * width),
  };
}

/** The commits in range in git log order (one `git rev-list --parents`), split into non-merges and merges. */
export async function listHistory(dir: string, range: HistoryRange, signal?: AbortSignal): Promise<{ commits: string[]; merges: string[] }> {
  const out = await readGit(dir, ['rev-list', '--parents', ...rangeArgs(range), '--end-of-options', range.rev ?? 'HEAD', '--'], { signal, context: 'Reading the history' });
  const commits: string[] = [];
  const merges: string[] = [];
  for (const line of out.split('\n')) {
    if (!line) continue;
    const ids = line.split(' ');
    if (ids.length > 2) merges.push(ids[0]!);
    else commits.push(ids[0]!);
  }
  return { commits, merges };
}

/** How many commits, merges included, are in range. */
export async function countAllCommits(dir: string, range: HistoryRange = {}, signal?: AbortSignal): Promise<number> {
  const out = await readGit(dir, ['rev-list', '--count', ...rangeArgs(range), '--end-of-options', range.rev ?? 'HEAD', '--'], { signal, context: 'Reading the history' });
  return Number(out.trim()) || 0;
}
