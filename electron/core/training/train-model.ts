// Trains and evaluates a manifest's model inside a Node training process: loads the project's data from disk,
// chooses the backend (a forced one after a preflight; `auto` by measuring the model on each backend), and hands
// both to `trainOnData` (the loop a Chromium worker runs too), saving a checkpoint if asked.
import { chooseBackend, probeCacheKey } from './backend-probe.js';
import { buildModel } from './build-model.js';
import { loadTabularData } from './data/index.js';
import { loadImageFolderData } from './data/image-folder.js';
import { loadModelSource } from './model-sources/index.js';
import { modelProbeTarget } from './probe-target.js';
import { saveCheckpoint } from './save-checkpoint.js';
import { trainOnData } from './train-on-data.js';
import type { FromTrainer, TrainJob, TrainResult } from './trainer-protocol.js';

export async function trainModel(job: TrainJob, emit: (m: FromTrainer) => void): Promise<TrainResult> {
  const { manifest } = job;
  const data = manifest.data.images
    ? await loadImageFolderData(job.repoDir, { images: manifest.data.images, split: manifest.data.split, normalize: manifest.data.normalize })
    : await loadTabularData(job.repoDir, manifest);
  const numClasses = manifest.task === 'classification' ? data.labels!.length : null;
  const makeModel = async () =>
    manifest.model.layers ? buildModel(manifest, data.nFeatures, numClasses) : loadModelSource(job.repoDir, manifest, data.nFeatures, numClasses);

  const signature = { model: manifest.model, inputs: data.nFeatures, classes: numClasses, batch: manifest.training.batchSize };
  const { active, probes } = await chooseBackend(
    job.backend,
    modelProbeTarget(makeModel, data, manifest.task, manifest.training.batchSize),
    job.probeCacheFile ? { file: job.probeCacheFile, key: probeCacheKey(signature) } : undefined,
  );
  const checkpointDir = job.checkpointDir;
  const result = await trainOnData(data, manifest, emit, {
    backend: active.backend,
    device: active.device,
    probes: [...probes],
    ...(manifest.model.layers ? {} : { model: (inputs: number, classes: number | null) => loadModelSource(job.repoDir, manifest, inputs, classes) }),
    ...(checkpointDir ? { checkpoint: (model) => saveCheckpoint(model, checkpointDir) } : {}),
  });
  return { ...result, checkpointDir: checkpointDir ?? null };
}
