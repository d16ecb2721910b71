// Contributor analytics from git, the one pipeline (runAnalysis): streams the history (streamHistory) into an
// ImpactTally as it is read, then adds the surviving lines (blameFiles) and the trailer identities (git
// check-mailmap) and turns the tally into the report the CLI and UI show. An AnalysisCache (the store's, in
// cached-impact.ts) says what need not be read from git again.
import { availableParallelism } from 'node:os';
import { cancelledError, GitError, readGit } from '../git/project-git.js';
import { readBlobSizes } from './blob-sizes.js';
import { ImpactTally, type AggregateOptions, type ImpactReport } from './impact-tally.js';
import { resolveCommit, type CommitRecord, type HistoryRange } from './read-commit-stats.js';
import { streamHistory } from './stream-history.js';
import { defaultConcurrency } from './run-pool.js';
import { resolveWeights, type ImpactWeights } from './score.js';
import { blameFiles, listBlameFiles, readIgnoreRevs, sumByIdentity, type BlameFile, type BlameFilesOptions, type SurvivingLines } from './surviving-lines.js';
import { mailmapQuery, parseContact, type Contact } from './trailers.js';

export {
  aggregateImpact,
  ImpactTally,
  TOP_FILES,
  type AggregateOptions,
  type CategoryStats,
  type ContributorImpact,
  type FileImpact,
  type ImpactInput,
  type ImpactReport,
  type MonthActivity,
} from './impact-tally.js';

export interface ImpactProgress {
  readonly phase: 'listing' | 'commits' | 'blame' | 'aggregating';
  readonly done: number;
  readonly total: number;
}

export interface ImpactOptions extends AggregateOptions, HistoryRange {
  /** Run the blame pass for surviving lines; default true. */
  readonly blame?: boolean;
  /**
   * Before the blame pass, write git's commit-graph with changed-path filters into the repository
   * (a cache file, see commit-graph.ts); default true.
   */
  readonly commitGraph?: boolean;
  /** git processes side by side for the log and blame passes; default the CPU count within 2..4. */
  readonly concurrency?: number;
  readonly onProgress?: (progress: ImpactProgress) => void;
  readonly signal?: AbortSignal;
}

/**
 * What every analysis settles first: the weights, the git parallelism, and the commit to analyse — or the empty
 * report of a repository without commits (an unknown `rev` is an error).
 */
async function startAnalysis(
  dir: string,
  options: Pick<ImpactOptions, 'concurrency' | 'weights' | 'rev' | 'signal'>,
): Promise<{ kind: 'empty'; report: ImpactReport } | { kind: 'ready'; head: string; weights: ImpactWeights; concurrency: number }> {
  const concurrency = options.concurrency ?? defaultConcurrency(availableParallelism());
  const weights = resolveWeights(options.weights);
  const head = await resolveCommit(dir, options.rev ?? 'HEAD', options.signal);
  if (head) return { kind: 'ready', head, weights, concurrency };
  if (options.rev !== undefined && options.rev !== 'HEAD') throw new GitError('not-found', `Reading the history: no commit named ${options.rev}`);
  return { kind: 'empty', report: { contributors: [], weights } }; // no commits yet
}

/** What an analysis took from git and what from its cache. */
export interface CacheStats {
  /** Commit records (non-merge and merge) read from git, and taken from the cache. */
  readonly commitsRead: number;
  readonly commitsCached: number;
  /** Files blamed with git, and whose blame came from the cache; 0 and 0 without the blame pass. */
  readonly filesBlamed: number;
  readonly filesCached: number;
}

export interface ReadIntoTallyOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: ImpactOptions['onProgress'];
  readonly concurrency: number;
}

/**
 * Where an analysis keeps what it read from git. The pipeline (runAnalysis) is the same with or without one:
 * NO_CACHE reads everything; the store's cache (cached-impact.ts) reads only new commits and blames only
 * files whose blame can have changed.
 */
export interface AnalysisCache {
  /** Adds every commit in range to the tally (each with its position in git log order). */
  readHistory(dir: string, range: HistoryRange, tally: ImpactTally, options: ReadIntoTallyOptions): Promise<Pick<CacheStats, 'commitsRead' | 'commitsCached'>>;
  /** The blame totals the cache holds for these files at `head`, by path. */
  storedBlame(dir: string, head: string, files: readonly BlameFile[], ignoreRevs: readonly string[], signal?: AbortSignal): Promise<Map<string, SurvivingLines[]>>;
  /** Keeps the blame of the files just blamed (those storedBlame did not have). */
  keepBlame(fresh: ReadonlyMap<string, SurvivingLines[]>): void;
}

/**
 * The history streamed into the tally (streamHistory: a few git processes side by side), each record also
 * handed to `keep` when given. Resolves to the number of records.
 */
export function streamIntoTally(dir: string, range: HistoryRange, tally: ImpactTally, options: ReadIntoTallyOptions, keep?: (record: CommitRecord) => void): Promise<number> {
  return streamHistory(dir, range, (record, position) => {
    tally.add(record, position);
    keep?.(record);
  }, { signal: options.signal, concurrency: options.concurrency, ...commitProgress(options.onProgress) });
}

/** No cache: the whole history is read and every file blamed. */
const NO_CACHE: AnalysisCache = {
  readHistory: async (dir, range, tally, options) => ({ commitsRead: await streamIntoTally(dir, range, tally, options), commitsCached: 0 }),
  storedBlame: () => Promise.resolve(new Map()),
  keepBlame: () => undefined,
};

/** Runs every pass on the repository in `dir` and returns the report (no cache: see analyzeWithCache for the app's). */
export async function analyzeContributorImpact(dir: string, options: ImpactOptions = {}): Promise<ImpactReport> {
  return (await runAnalysis(dir, options, NO_CACHE)).report;
}

/**
 * The one analysis pipeline: the history into a tally and, beside it, the blame pass; then the trailer identities
 * (one git check-mailmap) and the sizes of binary blobs, then the report; `cache` says what need not be read again.
 */
export async function runAnalysis(dir: string, options: ImpactOptions, cache: AnalysisCache): Promise<{ report: ImpactReport; stats: CacheStats }> {
  const { signal, onProgress } = options;
  const start = await startAnalysis(dir, options);
  if (start.kind === 'empty') return { report: start.report, stats: { commitsRead: 0, commitsCached: 0, filesBlamed: 0, filesCached: 0 } };
  const { head, concurrency } = start;
  const range: HistoryRange = { since: options.since, until: options.until, rev: head };
  onProgress?.({ phase: 'listing', done: 0, total: 1 });
  const tally = new ImpactTally(options.categories);
  // The blame pass needs only the analysed commit, so it runs beside the history pass (its git processes fill the
  // gaps the history's readers leave); its progress is held back until the history is read, so phases stay in order.
  const stopBlame = new AbortController();
  const onAbort = () => stopBlame.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let historyRead = false;
  let heldBlameProgress: ImpactProgress | null = null;
  const blameProgress = (done: number, total: number) => {
    const progress: ImpactProgress = { phase: 'blame', done, total };
    if (historyRead) onProgress?.(progress);
    else heldBlameProgress = progress;
  };
  const blamePromise =
    options.blame === false
      ? Promise.resolve(null)
      : survivingLines(dir, head, cache, { signal: stopBlame.signal, concurrency, commitGraph: options.commitGraph, onFile: blameProgress });
  blamePromise.catch(() => undefined); // awaited below
  let history: Pick<CacheStats, 'commitsRead' | 'commitsCached'>;
  let blame: Awaited<typeof blamePromise>;
  let contacts: Map<string, Contact>;
  let blobSizes: Map<string, number>;
  try {
    try {
      history = await cache.readHistory(dir, range, tally, { signal, onProgress, concurrency });
    } catch (err) {
      stopBlame.abort();
      await blamePromise.catch(() => undefined);
      throw err;
    }
    historyRead = true;
    if (heldBlameProgress) onProgress?.(heldBlameProgress);
    const contactsPromise = resolveTrailerContacts(dir, tally.trailerContacts, signal);
    contactsPromise.catch(() => undefined); // awaited below; a failure while blame runs is not unhandled
    const blobSizesPromise = readBlobSizes(dir, tally.binaryBlobs, signal);
    blobSizesPromise.catch(() => undefined); // awaited below, like the contacts
    blame = await blamePromise;
    contacts = await contactsPromise;
    blobSizes = await blobSizesPromise;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (signal?.aborted) throw cancelledError();
  onProgress?.({ phase: 'aggregating', done: 0, total: 1 });
  const report = tally.finish(blame?.surviving ?? null, contacts, { ...options, blobSizes });
  onProgress?.({ phase: 'aggregating', done: 1, total: 1 });
  return { report, stats: { ...history, filesBlamed: blame?.blamed ?? 0, filesCached: blame?.cached ?? 0 } };
}

/** The blame pass: every text file at `head`, from the cache where it has the file, else blamed with git (and kept). */
async function survivingLines(
  dir: string,
  head: string,
  cache: AnalysisCache,
  options: BlameFilesOptions,
): Promise<{ surviving: SurvivingLines[]; blamed: number; cached: number }> {
  const { signal } = options;
  const [files, ignoreRevs] = await Promise.all([listBlameFiles(dir, head, signal), readIgnoreRevs(dir, head, signal)]);
  const stored = await cache.storedBlame(dir, head, files, ignoreRevs, signal);
  const todo = files.filter((f) => !stored.has(f.path));
  const fresh = await blameFiles(dir, head, todo, ignoreRevs, options);
  cache.keepBlame(fresh);
  const perFile = files.map((f) => stored.get(f.path) ?? fresh.get(f.path) ?? []);
  return { surviving: sumByIdentity(perFile), blamed: todo.length, cached: files.length - todo.length };
}

/** Progress of the commits phase: reported every 250 records and at the end, once the total is known. */
export function commitProgress(onProgress: ImpactOptions['onProgress']): { onTotal: (total: number) => void; onRecord: (done: number) => void } {
  let total = -1;
  let read = 0;
  let reported = 0;
  return {
    onTotal: (n) => {
      total = n;
      onProgress?.({ phase: 'commits', done: read, total });
    },
    onRecord: (done) => {
      read = done;
      if (total >= 0 && (done === total || done - reported >= 250)) {
        reported = done;
        onProgress?.({ phase: 'commits', done, total });
      }
    },
  };
}

/** Maps trailer contacts as written (`Name <email>`) through .mailmap with one `git check-mailmap --stdin`. */
export async function resolveTrailerContacts(dir: string, raw: Iterable<string>, signal?: AbortSignal): Promise<Map<string, Contact>> {
  const out = new Map<string, Contact>();
  const queries: { contact: string; parsed: Contact; query: string }[] = [];
  for (const contact of raw) {
    const parsed = parseContact(contact);
    const query = mailmapQuery(parsed);
    out.set(contact, parsed);
    if (query) queries.push({ contact, parsed, query });
  }
  if (queries.length === 0) return out;
  const text = await readGit(dir, ['check-mailmap', '--stdin'], {
    signal,
    stdin: `${queries.map((q) => q.query).join('\n')}\n`,
    context: 'Reading the mailmap',
  }).catch((err: unknown) => {
    if (signal?.aborted) throw err;
    return null; // a contact git cannot parse: keep them all as written
  });
  const lines = text?.split('\n') ?? [];
  if (lines.length < queries.length) return out;
  queries.forEach((q, i) => {
    const mapped = parseContact(lines[i]!);
    out.set(q.contact, { name: mapped.name || q.parsed.name, email: mapped.email || q.parsed.email });
  });
  return out;
}
