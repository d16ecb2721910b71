// Contributor impact with the store as a cache: the one pipeline (runAnalysis) with an AnalysisCache over the
// store, so that only commits not seen before are read from git, and only files whose blame can have changed are
// blamed again. Identity overrides saved for the project (IdentityOverridesRepository) are applied on every run.
// Why the blame key is sound: README.md, Incremental re-analysis.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cancelledError, GitError, readGit } from '../git/project-git.js';
import type { Db } from '../store/database.js';
import { lastChangesOnFirstParentChain } from './blame-keys.js';
import { commitProgress, runAnalysis, streamIntoTally, type AnalysisCache, type CacheStats, type ImpactOptions, type ImpactReport } from './contributor-impact.js';
import { IdentityOverridesRepository, combineOverrides } from './identity-overrides-repository.js';
import { ImpactCache, type BlameKey } from './impact-cache.js';
import { listHistory, readCommitHeaders, readCommitRecords, type CommitRecord } from './read-commit-stats.js';
import { BLAME_ARGS, type BlameFile, type SurvivingLines } from './surviving-lines.js';

export type { CacheStats } from './contributor-impact.js';

export interface CachedImpactOptions extends ImpactOptions {
  /** Called once, before the report is returned. */
  readonly onCacheStats?: (stats: CacheStats) => void;
}

/**
 * The analysis with the store as a cache of commit records and per-file blame totals, and the project's saved
 * identity overrides applied (added to `options.identities`): the same report as analyzeContributorImpact.
 */
export async function analyzeWithCache(db: Db, projectId: string, dir: string, options: CachedImpactOptions = {}): Promise<ImpactReport> {
  const identities = combineOverrides(new IdentityOverridesRepository(db).get(projectId), options.identities);
  const wholeHistory = options.since === undefined && options.until === undefined && (options.rev === undefined || options.rev === 'HEAD');
  const { report, stats } = await runAnalysis(dir, { ...options, identities }, new StoreCache(new ImpactCache(db), projectId, wholeHistory, options.signal));
  options.onCacheStats?.(stats);
  return report;
}

/** Records are written this many at a time while the history streams in (one transaction each). */
const STORE_BATCH = 2000;

/** The store as the pipeline's cache, for one analysis of one project. */
class StoreCache implements AnalysisCache {
  private mailmapPromise: Promise<string> | null = null;
  /** The blame keys of the files of this run (set by storedBlame, used by keepBlame). */
  private keys: Map<string, BlameKey> | null = null;
  private head = '';

  constructor(
    private readonly cache: ImpactCache,
    private readonly projectId: string,
    /** The range is the whole history (no rev, since or until): records of other commits may be pruned. */
    private readonly wholeHistory: boolean,
    private readonly signal: AbortSignal | undefined,
  ) {}

  private mailmap(dir: string): Promise<string> {
    if (!this.mailmapPromise) {
      this.mailmapPromise = mailmapFingerprint(dir, this.signal);
      this.mailmapPromise.catch(() => undefined); // awaited by whoever needs it
    }
    return this.mailmapPromise;
  }

  readHistory: AnalysisCache['readHistory'] = (...args) => (this.cache.countRecords(this.projectId) === 0 ? this.readWholeHistory(...args) : this.readNewCommits(...args));

  /**
   * An empty store: the whole history in one sliced pass, each record added to the tally as it arrives and
   * written to the store in batches, so nothing is listed first and a cancelled run keeps what it read.
   */
  private readonly readWholeHistory: AnalysisCache['readHistory'] = async (dir, range, tally, options) => {
    const mailmapPromise = this.mailmap(dir);
    let mailmap: string | null = null;
    let pending: CommitRecord[] = [];
    const flush = () => {
      if (mailmap === null || pending.length === 0) return;
      this.cache.storeRecords(this.projectId, mailmap, pending);
      pending = [];
    };
    const known = mailmapPromise.then((m) => {
      mailmap = m;
      flush();
    });
    known.catch(() => undefined); // awaited below
    try {
      const read = await streamIntoTally(dir, range, tally, options, (record) => {
        pending.push(record);
        if (pending.length >= STORE_BATCH) flush();
      });
      await known;
      flush();
      return { commitsRead: read, commitsCached: 0 };
    } catch (err) {
      // What was read is kept (records are pure functions of their commits); the error is the run's.
      await known.then(flush, () => undefined);
      throw err;
    }
  };

  /**
   * A store with records: the commits in range are listed, the ones missing from the store read from git (and
   * stored at once, so a cancelled run keeps them), and every record added to the tally in git log order.
   */
  private readonly readNewCommits: AnalysisCache['readHistory'] = async (dir, range, tally, options) => {
    const { signal, onProgress, concurrency } = options;
    const [listing, mailmap] = await Promise.all([listHistory(dir, range, signal), this.mailmap(dir)]);
    const { cache, projectId } = this;
    cache.dropRecordsNotMatching(projectId, mailmap);
    const records = cache.loadRecords(projectId, mailmap);
    const missingCommits = listing.commits.filter((sha) => !records.has(sha));
    const missingMerges = listing.merges.filter((sha) => !records.has(sha));
    const progress = commitProgress(onProgress);
    progress.onTotal(missingCommits.length);
    const [newCommits, newMerges] = await Promise.all([
      readCommitRecords(dir, missingCommits, { signal, concurrency, onRecord: progress.onRecord }),
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
    if (this.wholeHistory) {
      // The listing is the whole history: records of commits no longer in it (a force-push) are dropped.
      cache.pruneRecords(projectId, new Set([...listing.commits, ...listing.merges]));
    }
    const fresh = newCommits.length + newMerges.length;
    return { commitsRead: fresh, commitsCached: listing.commits.length + listing.merges.length - fresh };
  };

  /** Each file's blame key (its key commit from the last run's state where the history in between proves it unchanged), and the stored blame of the keys. */
  async storedBlame(dir: string, head: string, files: readonly BlameFile[], ignoreRevs: readonly string[], signal?: AbortSignal): Promise<Map<string, SurvivingLines[]>> {
    const mailmap = await this.mailmap(dir);
    const context = createHash('sha256').update(JSON.stringify({ args: BLAME_ARGS, ignoreRevs, mailmap })).digest('hex');
    const state = this.cache.getBlameState(this.projectId);
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
    this.keys = new Map(files.map((f) => [f.path, { path: f.path, commit: commitOf.get(f.path) ?? head, blob: f.blob, context }]));
    this.head = head;
    return this.cache.loadBlame(this.projectId, [...this.keys.values()]);
  }

  /** Stores the fresh blame, keeps only the current files' rows, and remembers this head and its keys. */
  keepBlame(fresh: ReadonlyMap<string, SurvivingLines[]>): void {
    const keys = this.keys;
    if (!keys) return;
    const { cache, projectId } = this;
    cache.storeBlame(projectId, [...fresh].map(([path, authors]) => ({ key: keys.get(path)!, authors })));
    cache.pruneBlame(projectId, [...keys.values()]);
    cache.setBlameState(projectId, { head: this.head, commits: new Map([...keys.values()].map((k) => [k.path, k.commit])) });
  }
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
