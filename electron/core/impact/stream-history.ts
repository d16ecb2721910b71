// Streams every commit record of a history out of `git log --numstat`, read by a few git processes side by
// side, handing each record over as soon as it is read, with its position in git log order.
import { cancelledError, GitError } from '../git/project-git.js';
import { countAllCommits, rangeArgs, readCommitList, RECORD_FORMAT, streamRecords, type CommitList, type CommitRecord, type HistoryRange } from './read-commit-stats.js';

export interface StreamHistoryOptions {
  readonly signal?: AbortSignal;
  /** git processes run side by side. */
  readonly concurrency?: number;
  /** Called after each record is read, with how many are done so far. */
  readonly onRecord?: (done: number) => void;
  /** Called once with how many records (merges included) the history has, as soon as git has counted them. */
  readonly onTotal?: (total: number) => void;
  /** Fewest commits worth another git process (default MIN_COMMITS_PER_READER). */
  readonly minPerReader?: number;
}

/** Below this many commits a reader, another git process costs more than it saves. */
const MIN_COMMITS_PER_READER = 400;

/** `git log` shows merges without a diff, so one pass gives the merges too. */
const HISTORY_ARGS = ['-z', '--no-color', '--numstat', '--find-renames', '--no-textconv', '--no-ext-diff', RECORD_FORMAT];

/**
 * Positions in git log order still to be read in one stretch of the history: the forward reader takes `next`
 * (and counts up), the backward reader takes `last` (and counts down); the stretch is done when they cross.
 */
interface Stretch {
  next: number;
  last: number;
  readonly readers: Reader[];
}

interface Reader {
  readonly stop: AbortController;
  /** Set when the reader's part is done and it is stopped on purpose (its cancellation is no error). */
  done: boolean;
  finished: Promise<void>;
}

/** One stretch of positions [from, to) and how many readers it gets (2: one from each end). */
export interface StretchPlan {
  readonly from: number;
  readonly to: number;
  readonly readers: 1 | 2;
}

/**
 * Cuts positions [from, count) for up to `concurrency` git processes, each given at least `minPerReader`
 * commits: two readers a stretch (one from each end, meeting wherever the work happens to split evenly), one for
 * the last stretch of an odd count, stretch lengths in proportion to their readers. Empty when one process is
 * enough (the first reader, already at `from`, reads on alone).
 */
export function planStretches(from: number, count: number, concurrency: number, minPerReader = MIN_COMMITS_PER_READER): StretchPlan[] {
  const rest = count - from;
  const processes = Math.min(concurrency, Math.floor(rest / minPerReader));
  if (processes < 2) return [];
  const out: StretchPlan[] = [];
  let at = from;
  for (let left = processes; left > 0 && at < count; left -= 2) {
    const readers = left >= 2 ? 2 : 1;
    const to = left <= 2 ? count : Math.min(count, at + Math.ceil((rest * readers) / processes));
    out.push({ from: at, to, readers });
    at = to;
  }
  return out;
}

/**
 * Every commit in range (merges come without a diff, so no separate pass lists them), each record handed to
 * `onCommit` as soon as it is read, with its position in git log order (records of different readers arrive
 * interleaved). A first `git log` starts at once from the newest commit, and `git rev-list` lists the commits
 * beside it. Once the list is in, what the first reader has not reached yet is cut into stretches, and each
 * stretch is read from both ends (`git log --stdin --no-walk`, the second `--reverse`) until the two readers
 * meet, so neither waits for the other however the diff work is spread over the history. What is handed over
 * does not depend on the number of readers (a test compares it with a single pass). Resolves to the number of
 * records.
 */
export async function streamHistory(
  dir: string,
  range: HistoryRange,
  onCommit: (commit: CommitRecord, position: number) => void,
  options: StreamHistoryOptions = {},
): Promise<number> {
  const { signal } = options;
  if (signal?.aborted) throw cancelledError();
  const rev = range.rev ?? 'HEAD';
  const concurrency = options.concurrency ?? 1;
  let done = 0;
  let list: CommitList | null = null;
  /** Shas the first reader gave before the list was in, checked against it then. */
  const early: string[] = [];
  const readers: Reader[] = [];

  const take = (c: CommitRecord, position: number) => {
    if (list) {
      if (!list.isAt(c.sha, position)) throw orderError(c.sha, position);
    } else early.push(c.sha);
    onCommit(c, position);
    options.onRecord?.(++done);
  };
  const endStretch = (stretch: Stretch) => {
    for (const r of stretch.readers) {
      r.done = true;
      r.stop.abort();
    }
  };
  const startReader = (stretch: Stretch, args: readonly string[], stdin: string | undefined, forward: boolean) => {
    const reader: Reader = { stop: new AbortController(), done: false, finished: Promise.resolve() };
    const onRecord = (c: CommitRecord) => {
      if (reader.done) return; // records git printed after the readers met
      if (stretch.next > stretch.last) return endStretch(stretch);
      take(c, forward ? stretch.next++ : stretch.last--);
      if (stretch.next > stretch.last) endStretch(stretch);
    };
    reader.finished = streamRecords(dir, args, onRecord, { signal: reader.stop.signal, stdin }).catch((err: unknown) => {
      if (!reader.done || signal?.aborted) throw err;
    });
    stretch.readers.push(reader);
    readers.push(reader);
  };
  const stopListing = new AbortController();
  const stopAll = () => {
    stopListing.abort();
    for (const r of readers) r.stop.abort();
  };
  signal?.addEventListener('abort', stopAll, { once: true });

  const first: Stretch = { next: 0, last: Infinity, readers: [] };
  startReader(first, ['log', ...HISTORY_ARGS, ...rangeArgs(range), '--end-of-options', rev, '--'], undefined, true);
  try {
    // One reader needs no list, only the total for progress.
    const counted = concurrency > 1 ? readCommitList(dir, range, stopListing.signal) : countAllCommits(dir, range, stopListing.signal);
    counted.catch(() => undefined); // not awaited when the first reader is done first
    const listed = await Promise.race([counted, readers[0]!.finished.then(() => null)]);
    if (listed === null) stopListing.abort();
    const total = listed === null ? done : typeof listed === 'number' ? listed : listed.count;
    options.onTotal?.(total);
    if (listed !== null && typeof listed !== 'number') {
      list = listed;
      early.forEach((sha, position) => {
        if (!listed.isAt(sha, position)) throw orderError(sha, position);
      });
      early.length = 0;
      splitRest(listed, first, concurrency, options.minPerReader, startReader);
    }
    // Readers are only added above, so this waits for all of them; the first failure stops the others.
    await Promise.all(readers.map((r) => r.finished.catch((err: unknown) => {
      stopAll();
      throw err;
    })));
    if (signal?.aborted) throw cancelledError();
    return done;
  } catch (err) {
    stopAll();
    await Promise.allSettled(readers.map((r) => r.finished));
    throw signal?.aborted ? cancelledError() : err;
  } finally {
    signal?.removeEventListener('abort', stopAll);
  }
}

/**
 * Starts the readers of what the first reader has not reached yet (none when it is too little to share): the
 * first stretch is the first reader's, with a second reader coming up from its end.
 */
function splitRest(
  list: CommitList,
  first: Stretch,
  concurrency: number,
  minPerReader: number | undefined,
  startReader: (stretch: Stretch, args: readonly string[], stdin: string | undefined, forward: boolean) => void,
): void {
  const args = (reverse: boolean) => ['log', '--stdin', '--no-walk=unsorted', ...(reverse ? ['--reverse'] : []), ...HISTORY_ARGS];
  planStretches(first.next, list.count, concurrency, minPerReader).forEach((plan, i) => {
    const shas = list.stdin(plan.from, plan.to);
    if (i === 0) {
      first.last = plan.to - 1;
      startReader(first, args(true), shas, false); // the first stretch always has two readers
    } else {
      const stretch: Stretch = { next: plan.from, last: plan.to - 1, readers: [] };
      startReader(stretch, args(false), shas, true);
      if (plan.readers === 2) startReader(stretch, args(true), shas, false);
    }
  });
}

function orderError(sha: string, position: number): GitError {
  return new GitError('failed', `Reading the history: git log and git rev-list disagree about commit ${sha} (at ${position})`);
}
