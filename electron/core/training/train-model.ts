// Trains and evaluates a manifest's model inside a Node training process: loads the project's data from disk,
// chooses the backend (a forced one after a preflight; `auto` by measuring the model on each backend and asking
// auto-backend.ts, through the host when there is one), and hands
// both to `trainOnData` (the loop a Chromium worker runs too), saving a checkpoint if asked.
import { chooseBackend, measureOwnBackends, probeCacheKey, probeSignature, type AskBackend } from './backend-probe.js';
import { buildModel } from './portable/build-model.js';
import { loadThroughCache } from './data/data-cache.js';
import { loadTabularData } from './data/index.js';
import { loadImageFolderData } from './data/image-folder.js';
import { loadModelSource } from './model-sources/index.js';
import { foldData } from '../runs/sweep-folds.js';
import { modelProbeTarget } from './portable/probe-target.js';
import { saveCheckpoint } from './save-checkpoint.js';
import { trainOnData } from './portable/train-on-data.js';
import type { FromTrainer, TrainJob, TrainResult } from './portable/trainer-protocol.js';

/** Trains the job's model (a probe-only job has no result: it throws). */
export async function trainModel(job: TrainJob, emit: (m: FromTrainer) => void): Promise<TrainResult> {
  const answer = await runTrainingJob(job, emit);
  if (answer.kind !== 'done') throw new Error('A job that only measured the backends has no result');
  return answer.result;
}

/**
 * Trains the job's model, or answers `probed` with the figures of a `probeOnly` job, or of an `auto` job whose host
 * (`ask`) chose a backend elsewhere. `shouldStop` is asked before every batch (see TrainOnDataOptions).
 */
export async function runTrainingJob(
  job: TrainJob,
  emit: (m: FromTrainer) => void,
  shouldStop?: () => boolean,
  ask?: AskBackend,
): Promise<Extract<FromTrainer, { kind: 'done' | 'probed' }>> {
  const { manifest } = job;
  emit({ kind: 'phase', phase: { step: 'loading', backend: null, done: 0, total: 0 } });
  const { data: loaded } = await loadThroughCache(job.dataCache, job.repoDir, manifest, () =>
    manifest.data.images
      ? loadImageFolderData(job.repoDir, { images: manifest.data.images, split: manifest.data.split, normalize: manifest.data.normalize })
      : loadTabularData(job.repoDir, manifest),
  );
  const data = job.fold ? foldData(loaded, job.fold) : loaded;
  const numClasses = manifest.task === 'classification' ? data.labels!.length : null;
  // With data.inputs the model file's inputs must match the entries' columns (checked before the model is built).
  const fromFile = (inputs: number, classes: number | null) => loadModelSource(job.repoDir, manifest, inputs, classes, data.inputColumns);
  const makeModel = async () => (manifest.model.layers ? buildModel(manifest, data.nFeatures, numClasses) : fromFile(data.nFeatures, numClasses));

  const target = modelProbeTarget(makeModel, data, manifest.task, manifest.training.batchSize);
  const cache = job.probeCacheFile ? { file: job.probeCacheFile, key: probeCacheKey(probeSignature(manifest, data.nFeatures, numClasses)) } : undefined;
  const onMeasuring = (backend: string, done: number, total: number) => emit({ kind: 'phase', phase: { step: 'measuring', backend, done, total } });
  if (job.probeOnly) return { kind: 'probed', probes: await measureOwnBackends(target, cache, onMeasuring) };
  const choice = await chooseBackend(job.backend, target, cache, onMeasuring, ask);
  if (choice.kind === 'elsewhere') return { kind: 'probed', probes: [...choice.probes] };
  const { active, probes } = choice;
  // An evaluation of the shipped model trains nothing, so it saves no checkpoint.
  const checkpointDir = manifest.model.evaluate ? undefined : job.checkpointDir;
  const result = await trainOnData(data, manifest, emit, {
    backend: active.backend,
    device: active.device,
    probes: [...probes],
    ...(shouldStop ? { shouldStop } : {}),
    ...(job.keepPredictions ? { keepPredictions: true } : {}),
    ...(manifest.model.layers ? {} : { model: fromFile }),
    ...(checkpointDir ? { checkpoint: (model) => saveCheckpoint(model, checkpointDir) } : {}),
  });
  return { kind: 'done', result: { ...result, checkpointDir: checkpointDir ?? null } };
}
