// `modelcommons worker --redis redis://… [--concurrency N]`: trains jobs from Redis (BullMQ) on this machine until
// stopped. Each project is cloned from its source at the job's commit into this machine's data folder; results go
// back through Redis to the app that queued them. Stopping a worker (or losing it) loses no job: it is retried.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/app-error.js';
import { dataCacheSettings, resolveDataHome } from '../core/data-home.js';
import { printError, printLine } from './output.js';

export interface WorkerOptions {
  readonly redis?: string;
  readonly concurrency?: string;
  readonly lockMs?: string;
}

/** The URL with its password replaced, for lines on a terminal or in a log. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

export async function workerCommand(opts: WorkerOptions): Promise<void> {
  if (!opts.redis) throw new AppError('invalid-request', 'Give --redis redis://host:port (the Redis the app queues its jobs on)');
  const concurrency = opts.concurrency === undefined ? undefined : Number(opts.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) throw new AppError('invalid-request', `--concurrency takes a whole number above 0, not "${opts.concurrency}"`);
  const lockMs = opts.lockMs === undefined ? undefined : Number(opts.lockMs);
  if (lockMs !== undefined && (!Number.isInteger(lockMs) || lockMs < 1000)) throw new AppError('invalid-request', `--lock-ms takes a whole number of milliseconds of at least 1000, not "${opts.lockMs}"`);
  const home = resolveDataHome();
  const workDir = path.join(home, 'worker-clones');
  fs.mkdirSync(workDir, { recursive: true });
  const { startRedisWorker } = await import('../core/jobs/redis-jobs.js');
  const worker = await startRedisWorker({
    url: opts.redis,
    workDir,
    dataCache: dataCacheSettings(home),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(lockMs !== undefined ? { lockMs } : {}),
    onEvent: (line) => printError(line),
  });
  printLine(`Worker ${process.pid} taking jobs from ${redactRedisUrl(opts.redis)}, ${worker.concurrency} training${worker.concurrency === 1 ? '' : 's'} side by side (Ctrl+C stops it; its jobs are retried elsewhere)`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await worker.close();
}
