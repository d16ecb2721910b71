// Streams every commit record of a history out of one `git log --numstat` pass cut into contiguous slices
// read side by side, handing each record over as soon as it is read, with its position in git log order.
import { countAllCommits, rangeArgs, RECORD_FORMAT, sliceCount, streamRecords, type CommitRecord, type HistoryRange } from './read-commit-stats.js';
import { cancelledError } from './run-git.js';

export interface StreamHistoryOptions {
  readonly signal?: AbortSignal;
  /** git processes run side by side (the commits are cut into this many contiguous slices). */
  readonly concurrency?: number;
  /** Called after each record is read, with how many are done so far. */
  readonly onRecord?: (done: number) => void;
  /** Called once with how many records (merges included) the history has, as soon as git has counted them. */
  readonly onTotal?: (total: number) => void;
}

/** `git log` shows merges without a diff, so one pass gives the merges too. */
const HISTORY_ARGS = ['-z', '--no-color', '--numstat', '--find-renames', '--no-textconv', '--no-ext-diff', RECORD_FORMAT];

/**
 * Every commit in range (merges come without a diff, so no separate pass lists them), each record handed to
 * `onCommit` as soon as it is read, with its position in git log order (records of different slices arrive
 * interleaved). The first slice starts at once, from the newest commit; `rev-list --count` runs beside it, and
 * when it answers the commits the first slice has not reached yet are shared out evenly: the first slice stops
 * at its share, the others start with `--skip` / `--max-count`. What is handed over does not depend on the
 * slicing (a test compares it with a single pass). Resolves to the number of records.
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
  const logArgs = (window: readonly string[]) => ['log', ...HISTORY_ARGS, ...window, ...rangeArgs(range), '--end-of-options', rev, '--'];
  let done = 0;
  let firstCount = 0;
  let firstLimit = Infinity;
  let firstFinished = false;
  // stopFirst ends the first slice at its share; both end every slice when the caller cancels or one fails.
  const stopFirst = new AbortController();
  const stopRest = new AbortController();
  const onAbort = () => {
    stopFirst.abort();
    stopRest.abort();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const firstSlice = streamRecords(dir, logArgs([]), (c) => {
    if (firstCount >= firstLimit) return stopFirst.abort();
    onCommit(c, firstCount++);
    options.onRecord?.(++done);
  }, { signal: stopFirst.signal }).then(
    () => {
      firstFinished = true;
      return null;
    },
    (err: unknown) => (stopFirst.signal.aborted && !signal?.aborted && firstCount >= firstLimit ? null : err),
  );
  const rest: Promise<void>[] = [];
  try {
    const total = await countAllCommits(dir, range, signal);
    options.onTotal?.(total);
    const slices = sliceCount(total, options.concurrency);
    if (slices > 1 && !firstFinished) {
      const size = Math.ceil((total - firstCount) / slices);
      firstLimit = firstCount + size;
      for (let skip = firstLimit, i = 1; i < slices && skip < total; i++, skip += size) {
        const window = i === slices - 1 ? [`--skip=${skip}`] : [`--skip=${skip}`, `--max-count=${size}`];
        let position = skip;
        rest.push(
          streamRecords(dir, logArgs(window), (c) => {
            onCommit(c, position++);
            options.onRecord?.(++done);
          }, { signal: stopRest.signal }),
        );
      }
    }
    const [firstError] = await Promise.all([firstSlice, Promise.all(rest)]);
    if (firstError) throw firstError;
    if (signal?.aborted) throw cancelledError();
    return done;
  } catch (err) {
    stopFirst.abort();
    stopRest.abort();
    await Promise.allSettled([firstSlice, ...rest]);
    throw signal?.aborted ? cancelledError() : err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

export interface CommitHistory {
  /** Non-merge commits with their file changes, newest first (git log order). */
  readonly commits: CommitRecord[];
  /** Merge commits (records without files), newest first. */
  readonly merges: CommitRecord[];
}

/** streamHistory's records collected in git log order, split into non-merges and merges. */
export async function readHistory(dir: string, range: HistoryRange, options: StreamHistoryOptions = {}): Promise<CommitHistory> {
  const all: CommitRecord[] = [];
  await streamHistory(dir, range, (c, position) => (all[position] = c), options);
  const commits: CommitRecord[] = [];
  const merges: CommitRecord[] = [];
  for (const c of all) (c.merge ? merges : commits).push(c);
  return { commits, merges };
}
