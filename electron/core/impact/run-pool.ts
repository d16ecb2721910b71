// Runs async jobs over a list with at most N in flight, keeping results in input order.
export async function runPool<T, R>(items: readonly T[], concurrency: number, job: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await job(items[index]!, index);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}

/** Default number of git processes run side by side: the CPU count, kept within 2..4. */
export function defaultConcurrency(cpus: number): number {
  return Math.max(2, Math.min(4, cpus));
}
