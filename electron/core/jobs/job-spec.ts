// What a training job is (everything a worker on any machine needs to train it) and what it gives back (everything
// its run is made of). Both travel as JSON: through the store, the local pool's IPC and Redis.
import crypto from 'node:crypto';
import type { EpochRecord, SplitCounts } from '../../../shared/contract.js';
import type { Manifest } from '../../../shared/manifest.js';
import type { BackendChoice } from '../../../shared/backends.js';
import type { FoldSpec } from '../training/portable/trainer-protocol.js';
import type { RunKey } from '../store/runs-repository.js';
import { canonicalJson } from '../training/data/data-cache.js';

export interface JobSpec {
  readonly projectId: string;
  /** Where a remote worker clones the project from (the project's git URL or folder). */
  readonly source: string;
  /** The commit the job trains at. */
  readonly commit: string;
  /** The effective manifest: the project's, with the sweep point applied. */
  readonly manifest: Manifest;
  readonly backend: BackendChoice;
  /** k-fold cross-validation: which fold this job validates on; null for a plain training. */
  readonly fold: FoldSpec | null;
  /** The sweep point: each swept manifest key and the value this job sets ({} outside a sweep). */
  readonly point: Readonly<Record<string, number>>;
  /** The run's key; its params include the point and the fold. */
  readonly key: RunKey;
}

/** What a finished training gives back; the run is written from it. */
export interface JobResult {
  readonly metrics: Record<string, number>;
  readonly labels: string[] | null;
  readonly confusionMatrix: number[][] | null;
  readonly seconds: number;
  readonly samplesPerSecond: number;
  readonly history: readonly EpochRecord[];
  readonly split: SplitCounts;
  readonly bestEpoch: number | null;
  readonly warnings: readonly string[];
  readonly backend: string;
  readonly device: string;
  /** Where the trained model was saved; null when the job trained on another machine. */
  readonly checkpointDir: string | null;
  /** Who trained it: "host:pid" of the worker process. */
  readonly worker: string;
}

export const jobStatuses = ['queued', 'running', 'paused', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];
export type JobQueueName = 'local' | 'redis';

export interface JobProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly loss: number;
  readonly valLoss: number | null;
}

export interface JobRecord {
  readonly id: string;
  readonly jobKey: string;
  readonly projectId: string;
  readonly sweepId: string | null;
  readonly queue: JobQueueName;
  readonly status: JobStatus;
  readonly spec: JobSpec;
  /** The run this job writes when it succeeds (assigned when it is queued, so a retry writes the same run). */
  readonly runId: string;
  readonly attempts: number;
  readonly progress: JobProgress | null;
  readonly error: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What decides a job's result: the same key is the same training, stored once. Hex, so it is a valid BullMQ job id. */
export function jobKeyOf(spec: Omit<JobSpec, 'key' | 'point' | 'source'> & { key: RunKey }): string {
  const { projectId, commit, backend, fold, key } = spec;
  const identity = { projectId, commit, backend, fold, manifestHash: key.manifestHash, dataHash: key.dataHash, seed: key.seed };
  return crypto.createHash('sha256').update(canonicalJson(identity)).digest('hex');
}
