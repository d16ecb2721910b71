// Saves a trained model in tfjs's own format (model.json + weights.bin) to a folder, without tfjs-node: from a
// LayersModel in this process, or from the artifacts a Chromium trainer sent back.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { writeCheckpoint } from './checkpoint-files.js';

export { writeCheckpoint, type CheckpointFiles } from './checkpoint-files.js';

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
