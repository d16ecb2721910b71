// Contributor impact with the store as a cache: the same report as analyzeContributorImpact, but only
// commits not seen before are read from git, and only files whose blame can have changed are blamed
// again. Identity overrides saved for the project (IdentityOverridesRepository) are applied on every run.
// Why the blame key is sound: README.md, Incremental re-analysis.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { GitError } from '../git/project-git.js';
import type { Db } from '../store/database.js';
import { writeCommitGraph } from './commit-graph.js';
import { commitProgress, resolveTrailerContacts, startAnalysis, type ImpactOptions, type ImpactReport } from './contributor-impact.js';
import { IdentityOverridesRepository, combineOverrides } from './identity-overrides-repository.js';
import { ImpactCache, type BlameKey } from './impact-cache.js';
import { ImpactTally } from './impact-tally.js';
import { rangeArgs, readCommitHeaders, readCommitRecords, type CommitRecord, type HistoryRange } from './read-commit-stats.js';
import { streamHistory } from './stream-history.js';
import { cancelledError, readGit, streamGit } from './run-git.js';
import { runPool } from './run-pool.js';
import { BLAME_ARGS, BlamePorcelainParser, listBlameFiles, readIgnoreRevs, totalsByIdentity, withBlameArgs, type BlameFile, type SurvivingLines } from './surviving-lines.js';

/** What a cached run took from git and what from the store. */
export interface CacheStats {
  /** Commit records (non-merge and merge) read from git, and taken from the store. */
  readonly commitsRead: number;
  readonly commitsCached: number;
  /** Files blamed with git, and whose blame came from the store; 0 and 0 without the blame pass. */
  readonly filesBlamed: number;
  readonly filesCached: number;
}

export interface CachedImpactOptions extends ImpactOptions {
  /** Reads the records of commits not in the store; default readCommitRecords (tests pass a counting one). */
  readonly readRecords?: typeof readCommitRecords;
  /** Called once, before the report is returned. */
  readonly onCacheStats?: (stats: CacheStats) => void;
}

const CONTEXT = 'Counting surviving lines';

/**
 * analyzeContributorImpact with the store as a cache of commit records and per-file blame totals, and the
 * project's saved identity overrides applied (added to `options.identities`).
 */
export async function analyzeWithCache(db: Db, projectId: string, dir: string, options: CachedImpactOptions = {}): Promise<ImpactReport> {
  const { signal, onProgress } = options;
  const start = await startAnalysis(dir, options);
  if (start.kind === 'empty') return start.report;
  const { head, concurrency } = start;
  const cache = new ImpactCache(db);
  const range: HistoryRange = { since: options.since, until: options.until, rev: head };
  onProgress?.({ phase: 'listing', done: 0, total: 1 });
  const mailmapPromise = mailmapFingerprint(dir, signal);
  mailmapPromise.catch(() => undefined); // awaited below by both paths
  const tally = new ImpactTally(options.categories);
  const wholeHistory = options.since === undefined && options.until === undefined && (options.rev === undefined || options.rev === 'HEAD');
  const stats =
    cache.countRecords(projectId) === 0
      ? await readWholeHistory(cache, projectId, dir, range, mailmapPromise, tally, { signal, onProgress, concurrency })
      : await readNewCommits(cache, projectId, dir, range, await mailmapPromise, tally, { signal, onProgress, concurrency, readRecords: options.readRecords, wholeHistory });
  const mailmap = await mailmapPromise;

  const contactsPromise = resolveTrailerContacts(dir, tally.trailerContacts, signal);
  contactsPromise.catch(() => undefined); // awaited below; a failure while blame runs is not unhandled
  let blame: { surviving: SurvivingLines[]; blamed: number; cached: number } | null = null;
  if (options.blame !== false) {
    blame = await cachedSurvivingLines(cache, projectId, dir, head, mailmap, {
      signal,
      concurrency,
      commitGraph: options.commitGraph,
      onFile: (done, files) => onProgress?.({ phase: 'blame', done, total: files }),
    });
  }
  const contacts = await contactsPromise;
  if (signal?.aborted) throw cancelledError();
  onProgress?.({ phase: 'aggregating', done: 0, total: 1 });
  const identities = combineOverrides(new IdentityOverridesRepository(db).get(projectId), options.identities);
  const report = tally.finish(blame?.surviving ?? null, contacts, { ...options, identities });
  onProgress?.({ phase: 'aggregating', done: 1, total: 1 });
  options.onCacheStats?.({
    ...stats,
    filesBlamed: blame?.blamed ?? 0,
    filesCached: blame?.cached ?? 0,
  });
  return report;
}

interface ReadIntoTallyOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: ImpactOptions['onProgress'];
  readonly concurrency: number;
}

/** Rows are written this many at a time while the history streams in (one transaction each). */
const STORE_BATCH = 2000;

/**
 * An empty store: the whole history in one sliced pass (streamHistory), each record added to the tally as it
 * arrives and written to the store in batches, so nothing is listed first and a cancelled run keeps what it read.
 */
async function readWholeHistory(
  cache: ImpactCache,
  projectId: string,
  dir: string,
  range: HistoryRange,
  mailmapPromise: Promise<string>,
  tally: ImpactTally,
  options: ReadIntoTallyOptions,
): Promise<Pick<CacheStats, 'commitsRead' | 'commitsCached'>> {
  let mailmap: string | null = null;
  let pending: CommitRecord[] = [];
  const flush = () => {
    if (mailmap === null || pending.length === 0) return;
    cache.storeRecords(projectId, mailmap, pending);
    pending = [];
  };
  const known = mailmapPromise.then((m) => {
    mailmap = m;
    flush();
  });
  known.catch(() => undefined); // awaited below
  try {
    const read = await streamHistory(dir, range, (record, position) => {
      tally.add(record, position);
      pending.push(record);
      if (pending.length >= STORE_BATCH) flush();
    }, { signal: options.signal, concurrency: options.concurrency, ...commitProgress(options.onProgress) });
    await known;
    flush();
    return { commitsRead: read, commitsCached: 0 };
  } catch (err) {
    // What was read is kept (records are pure functions of their commits); the error is the run's.
    await known.then(flush, () => undefined);
    throw err;
  }
}

/**
 * A store with records: the commits in range are listed, the ones missing from the store read from git (and
 * stored at once, so a cancelled run keeps them), and every record added to the tally in git log order.
 */
async function readNewCommits(
  cache: ImpactCache,
  projectId: string,
  dir: string,
  range: HistoryRange,
  mailmap: string,
  tally: ImpactTally,
  options: ReadIntoTallyOptions & { readonly readRecords?: typeof readCommitRecords; readonly wholeHistory: boolean },
): Promise<Pick<CacheStats, 'commitsRead' | 'commitsCached'>> {
  const { signal, onProgress, concurrency } = options;
  const listing = await listHistory(dir, range, signal);
  cache.dropRecordsNotMatching(projectId, mailmap);
  const records = cache.loadRecords(projectId, mailmap);
  const missingCommits = listing.commits.filter((sha) => !records.has(sha));
  const missingMerges = listing.merges.filter((sha) => !records.has(sha));
  const progress = commitProgress(onProgress);
  progress.onTotal(missingCommits.length);
  const read = options.readRecords ?? readCommitRecords;
  const [newCommits, newMerges] = await Promise.all([
    read(dir, missingCommits, { signal, concurrency, onRecord: progress.onRecord }),
    readCommitHeaders(dir, missingMerges, signal),
  ]);
  if (signal?.aborted) throw cancelledError();
  cache.storeRecords(projectId, mailmap, [...newCommits, ...newMerges]);
  for (const r of [...newCommits, ...newMerges]) records.set(r.sha, r);
  const pick = (sha: string): CommitRecord => {
    const r = records.get(sha);
    if (!r) throw new GitError('failed', `Reading the history: git gave no record for commit ${sha}`);
    return r;
  };
  // Merges sort after non-merges in the tally whatever their positions, so indexes within each list will do.
  listing.commits.forEach((sha, i) => tally.add(pick(sha), i));
  listing.merges.forEach((sha, i) => tally.add(pick(sha), i));
  if (options.wholeHistory) {
    // The listing is the whole history: records of commits no longer in it (a force-push) are dropped.
    cache.pruneRecords(projectId, new Set([...listing.commits, ...listing.merges]));
  }
  const fresh = newCommits.length + newMerges.length;
  return { commitsRead: fresh, commitsCached: listing.commits.length + listing.merges.length - fresh };
}

/** The commits in range in git log order (what readCommitRange and readMergeRecords give), split into non-merges and merges. */
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

/**
 * A hash of the mailmap git applies in `dir`: the work tree's `.mailmap` (HEAD's in a bare repository),
 * and the `mailmap.file` / `mailmap.blob` settings with what they point at. Records and blame read under
 * another mailmap name authors differently, so the cache is keyed by it.
 */
export async function mailmapFingerprint(dir: string, signal?: AbortSignal): Promise<string> {
  const quiet = (args: string[]) =>
    readGit(dir, args, { signal, context: 'Reading the mailmap' }).catch((err: unknown) => {
      if (signal?.aborted) throw err;
      return '';
    });
  const [top, config] = await Promise.all([quiet(['rev-parse', '--show-toplevel']), quiet(['config', '-z', '--get-regexp', '^mailmap\\.'])]);
  const parts: string[] = [`config:${config}`];
  const text = (file: string) => readFile(file, 'utf8').catch(() => '');
  if (top.trim()) parts.push(`file:${await text(join(top.trim(), '.mailmap'))}`);
  else parts.push(`blob:${await quiet(['rev-parse', '-q', '--verify', 'HEAD:.mailmap'])}`);
  for (const entry of config.split('\0')) {
    const nl = entry.indexOf('\n');
    if (nl < 0) continue;
    const key = entry.slice(0, nl).toLowerCase();
    const value = entry.slice(nl + 1);
    if (key === 'mailmap.file') parts.push(`${key}:${await text(value.replace(/^~(?=\/|$)/, homedir()))}`);
    else if (key === 'mailmap.blob') parts.push(`${key}:${await quiet(['rev-parse', '-q', '--verify', '--end-of-options', value])}`);
  }
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

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

interface BlamePassOptions {
  readonly signal?: AbortSignal;
  readonly concurrency: number;
  readonly commitGraph?: boolean;
  readonly onFile?: (done: number, total: number) => void;
}

/** Below this many files to blame, an existing commit-graph is not brought up to date first. */
const COMMIT_GRAPH_MIN_FILES = 16;

/** countSurvivingLines with per-file results kept in the store. */
async function cachedSurvivingLines(
  cache: ImpactCache,
  projectId: string,
  dir: string,
  head: string,
  mailmap: string,
  options: BlamePassOptions,
): Promise<{ surviving: SurvivingLines[]; blamed: number; cached: number }> {
  const { signal } = options;
  const [files, ignoreRevs] = await Promise.all([listBlameFiles(dir, head, signal), readIgnoreRevs(dir, head, signal)]);
  const context = createHash('sha256').update(JSON.stringify({ args: BLAME_ARGS, ignoreRevs, mailmap })).digest('hex');

  // Each file's key commit: from the last run's state where the history in between proves it unchanged.
  const state = cache.getBlameState(projectId);
  const commitOf = new Map<string, string>();
  if (state) {
    let changed: Map<string, string> | null = null;
    if (state.head === head) changed = new Map();
    else {
      const segment = await lastChangesOnFirstParentChain(dir, head, null, state.head, signal);
      if (segment.baseOnChain) changed = segment.found;
    }
    if (changed) {
      for (const f of files) {
        const c = changed.get(f.path) ?? state.commits.get(f.path);
        if (c !== undefined) commitOf.set(f.path, c);
      }
    }
  }
  const unknown = new Set(files.filter((f) => !commitOf.has(f.path)).map((f) => f.path));
  if (unknown.size > 0) {
    const walk = await lastChangesOnFirstParentChain(dir, head, unknown, null, signal);
    for (const [path, c] of walk.found) commitOf.set(path, c);
  }
  // A path the walk did not find (not expected) is keyed by the analysed commit itself, which is always sound.
  const keys = new Map<string, BlameKey>(files.map((f) => [f.path, { path: f.path, commit: commitOf.get(f.path) ?? head, blob: f.blob, context }]));

  const stored = cache.loadBlame(projectId, [...keys.values()]);
  const todo = files.filter((f) => !stored.has(f.path)).sort((a, b) => b.lines - a.lines); // biggest first
  const fresh = await blameFiles(dir, head, todo, ignoreRevs, options);
  cache.storeBlame(projectId, todo.map((f) => ({ key: keys.get(f.path)!, authors: fresh.get(f.path) ?? [] })));
  cache.pruneBlame(projectId, [...keys.values()]);
  cache.setBlameState(projectId, { head, commits: new Map([...keys.values()].map((k) => [k.path, k.commit])) });

  const byIdentity = new Map<string, { name: string; email: string; lines: number }>();
  for (const f of files) {
    for (const a of stored.get(f.path) ?? fresh.get(f.path) ?? []) {
      const key = `${a.name}\n${a.email.toLowerCase()}`;
      const t = byIdentity.get(key);
      if (t) t.lines += a.lines;
      else byIdentity.set(key, { ...a });
    }
  }
  return { surviving: [...byIdentity.values()], blamed: todo.length, cached: files.length - todo.length };
}

/** `git blame` (the blame pass's arguments) on each file at `commit`: per file, lines per author identity. */
async function blameFiles(
  dir: string,
  commit: string,
  files: readonly BlameFile[],
  ignoreRevs: readonly string[],
  options: BlamePassOptions,
): Promise<Map<string, SurvivingLines[]>> {
  const out = new Map<string, SurvivingLines[]>();
  if (files.length === 0) return out;
  const { signal } = options;
  if (options.commitGraph !== false && files.length >= COMMIT_GRAPH_MIN_FILES) await writeCommitGraph(dir, signal);
  return withBlameArgs(ignoreRevs, async (args) => {
    let done = 0;
    await runPool(files, options.concurrency, async (f) => {
      const linesBySha = new Map<string, number>();
      const authorBySha = new Map<string, { name: string; email: string }>();
      const parser = new BlamePorcelainParser(linesBySha, authorBySha);
      await streamGit(dir, [...args, commit, '--', f.path], (t) => parser.push(t), { signal, context: CONTEXT });
      parser.end();
      out.set(f.path, totalsByIdentity(linesBySha, authorBySha));
      options.onFile?.(++done, files.length);
    });
    return out;
  });
}
