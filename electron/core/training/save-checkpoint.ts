// Saves a trained model in tfjs's own format (model.json + weights.bin) to a folder, without tfjs-node: from a
// LayersModel in this process, or from the artifacts a Chromium trainer sent back.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** What is written: tfjs's model artifacts with the weights as one block of bytes. */
export interface CheckpointFiles {
  readonly modelTopology: unknown;
  readonly weightSpecs: readonly unknown[];
  readonly weightData: Uint8Array;
  readonly format?: string | undefined;
  readonly generatedBy?: string | undefined;
  readonly trainingConfig?: unknown;
}

export async function saveCheckpoint(model: tfl.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const parts = artifacts.weightData ? (Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData]) : [];
      const weights = Buffer.concat(parts.map((b) => Buffer.from(b)));
      writeCheckpoint(dir, {
        modelTopology: artifacts.modelTopology,
        weightSpecs: artifacts.weightSpecs ?? [],
        weightData: weights,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        trainingConfig: artifacts.trainingConfig,
      });
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.length } };
    }),
  );
}

export function writeCheckpoint(dir: string, files: CheckpointFiles): void {
  fs.mkdirSync(dir, { recursive: true });
  const modelJson = {
    format: files.format ?? 'layers-model',
    generatedBy: files.generatedBy,
    convertedBy: 'ModelCommons',
    modelTopology: files.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: files.weightSpecs }],
    ...(files.trainingConfig ? { trainingConfig: files.trainingConfig } : {}),
  };
  // Write to temporary names first so a crash never leaves a half checkpoint under the real names.
  fs.writeFileSync(path.join(dir, 'weights.bin.tmp'), files.weightData);
  fs.writeFileSync(path.join(dir, 'model.json.tmp'), JSON.stringify(modelJson));
  fs.renameSync(path.join(dir, 'weights.bin.tmp'), path.join(dir, 'weights.bin'));
  fs.renameSync(path.join(dir, 'model.json.tmp'), path.join(dir, 'model.json'));
}
