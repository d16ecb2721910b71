// Contributor analytics from git: streams the history (streamHistory) into an ImpactTally as it is read,
// then adds the surviving lines (countSurvivingLines) and the trailer identities (git check-mailmap) and
// turns the tally into the report the CLI and UI show.
import { availableParallelism } from 'node:os';
import { GitError } from '../git/project-git.js';
import { ImpactTally, type AggregateOptions, type ImpactReport } from './impact-tally.js';
import { resolveCommit, type HistoryRange } from './read-commit-stats.js';
import { streamHistory } from './stream-history.js';
import { cancelledError, readGit } from './run-git.js';
import { defaultConcurrency } from './run-pool.js';
import { resolveWeights, type ImpactWeights } from './score.js';
import { countSurvivingLines, type SurvivingLines } from './surviving-lines.js';
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
export async function startAnalysis(
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

/** Runs every pass on the repository in `dir` and returns the report. */
export async function analyzeContributorImpact(dir: string, options: ImpactOptions = {}): Promise<ImpactReport> {
  const { signal, onProgress } = options;
  const start = await startAnalysis(dir, options);
  if (start.kind === 'empty') return start.report;
  const { head, concurrency } = start;
  const range: HistoryRange = { ...options, rev: head };
  const blame = options.blame !== false;
  onProgress?.({ phase: 'listing', done: 0, total: 1 });
  // The records are counted (merges included) while the first slice is read already; progress starts once the count is known.
  const tally = new ImpactTally(options.categories);
  await streamHistory(dir, range, (record, position) => tally.add(record, position), { signal, concurrency, ...commitProgress(onProgress) });
  const contacts = await resolveTrailerContacts(dir, tally.trailerContacts, signal);
  let surviving: SurvivingLines[] | null = null;
  if (blame) {
    surviving = await countSurvivingLines(dir, head, {
      signal,
      concurrency,
      commitGraph: options.commitGraph,
      onFile: (done, files) => onProgress?.({ phase: 'blame', done, total: files }),
    });
  }
  if (signal?.aborted) throw cancelledError();
  onProgress?.({ phase: 'aggregating', done: 0, total: 1 });
  const report = tally.finish(surviving, contacts, options);
  onProgress?.({ phase: 'aggregating', done: 1, total: 1 });
  return report;
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
