// What keys a training run beside its commit and backend: the manifest's hash, the data's hash, the seed, and the
// effective training settings it ran with (the params that runs are compared on).
import crypto from 'node:crypto';
import type { RunParams } from '../../../shared/contract.js';
import type { Manifest } from '../../../shared/manifest.js';
import type { RunKey } from '../store/runs-repository.js';
import { canonicalJson, dataCacheKey } from '../training/data/data-cache.js';

/** The settings that decide a training's result, flat, defaults filled in as the trainer applies them. */
export function runParams(manifest: Manifest): RunParams {
  const t = manifest.training;
  const split = manifest.data.split;
  return {
    epochs: t.epochs,
    batchSize: t.batchSize,
    optimizer: t.optimizer,
    learningRate: t.learningRate,
    seed: t.seed,
    // Without `training.loss` the trainer picks cross-entropy (classification) or mse (regression).
    loss: t.loss ?? (manifest.task === 'regression' ? 'mse' : 'crossentropy'),
    fromLogits: t.fromLogits ?? null,
    classWeights: t.classWeights === undefined ? null : typeof t.classWeights === 'string' ? t.classWeights : canonicalJson(t.classWeights),
    earlyStoppingPatience: t.earlyStopping?.patience ?? null,
    layers: manifest.model.layers?.length ?? null,
    normalize: manifest.data.normalize ?? null,
    splitSeed: split?.seed ?? null,
  };
}

export function manifestHash(manifest: Manifest): string {
  return crypto.createHash('sha256').update(canonicalJson(manifest)).digest('hex');
}

/** The run's key; the data hash is null when a data path cannot be read (the training itself then says why). */
export async function runKeyOf(repoDir: string, manifest: Manifest): Promise<RunKey> {
  const dataHash = await dataCacheKey(repoDir, manifest).catch(() => null);
  return { params: runParams(manifest), manifestHash: manifestHash(manifest), dataHash, seed: manifest.training.seed };
}
