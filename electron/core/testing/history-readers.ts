// Test helper: reference readers of a history that the production readers (streamHistory, readCommitRecords) are
// compared with: one plain git process each, no slicing, no readers meeting in the middle.
import { rangeArgs, RECORD_FORMAT, NUMSTAT_ARGS, streamRecords, type CommitRecord, type HistoryRange } from '../impact/read-commit-stats.js';
import { streamHistory, type StreamHistoryOptions } from '../impact/stream-history.js';

const revArgs = (range: HistoryRange) => [...rangeArgs(range), '--end-of-options', range.rev ?? 'HEAD', '--'];

/** Every non-merge commit in range with its file changes, newest first, from one `git log --numstat --no-merges`. */
export async function readNonMergeRecords(dir: string, range: HistoryRange = {}): Promise<CommitRecord[]> {
  const out: CommitRecord[] = [];
  await streamRecords(dir, ['log', ...NUMSTAT_ARGS, ...revArgs(range)], (c) => out.push(c), {});
  return out;
}

/** The merge commits in range as records (no files), newest first, from one `git log --merges`. */
export async function readMergeRecords(dir: string, range: HistoryRange = {}): Promise<CommitRecord[]> {
  const out: CommitRecord[] = [];
  await streamRecords(dir, ['log', '-z', '--no-color', '--merges', RECORD_FORMAT, ...revArgs(range)], (c) => out.push(c), {});
  return out;
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
