// Test and bench helper: the blame pass on its own, without a store: every text file at a commit blamed (blameFiles,
// the one blame loop) and summed per author identity.
import { blameFiles, listBlameFiles, readIgnoreRevs, sumByIdentity, type SurvivingLines } from '../impact/surviving-lines.js';

export async function countSurvivingLines(
  dir: string,
  commit: string,
  options: { signal?: AbortSignal; concurrency?: number; commitGraph?: boolean; onFile?: (done: number, total: number) => void } = {},
): Promise<SurvivingLines[]> {
  const [files, ignoreRevs] = await Promise.all([listBlameFiles(dir, commit, options.signal), readIgnoreRevs(dir, commit, options.signal)]);
  const perFile = await blameFiles(dir, commit, files, ignoreRevs, { ...options, concurrency: options.concurrency ?? 3 });
  return sumByIdentity(perFile.values());
}
