// Writes a trained model's files in tfjs's own format (model.json + weights.bin), crash-safe; no tfjs needed, so a host
// can store what a Chromium trainer sent back without loading it.
import fs from 'node:fs';
import path from 'node:path';

/** What is written: tfjs's model artifacts with the weights as one block of bytes. */
export interface CheckpointFiles {
  readonly modelTopology: unknown;
  readonly weightSpecs: readonly unknown[];
  readonly weightData: Uint8Array;
  readonly format?: string | undefined;
  readonly generatedBy?: string | undefined;
  readonly trainingConfig?: unknown;
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
