// The modelcommons.json manifest (v1): a declarative description of a project's model — never code we run.
import { z } from 'zod';

const relativePath = z
  .string()
  .min(1)
  .describe('A path relative to the repository root; it may not leave the repository.');

export const layerTypes = [
  'dense',
  'dropout',
  'batchNormalization',
  'reshape',
  'conv2d',
  'maxPooling2d',
  'averagePooling2d',
  'flatten',
  'embedding',
  'globalAveragePooling1d',
  'lstm',
] as const;

export const LayerSpec = z
  .object({
    type: z.string().min(1).describe(`One of: ${layerTypes.join(', ')}`),
    units: z.number().int().positive().optional(),
    activation: z.string().optional(),
    rate: z.number().min(0).max(1).optional(),
    filters: z.number().int().positive().optional(),
    kernelSize: z.union([z.number().int().positive(), z.array(z.number().int().positive())]).optional(),
    strides: z.union([z.number().int().positive(), z.array(z.number().int().positive())]).optional(),
    padding: z.enum(['valid', 'same']).optional(),
    poolSize: z.union([z.number().int().positive(), z.array(z.number().int().positive())]).optional(),
    targetShape: z.array(z.number().int()).optional(),
    inputDim: z.number().int().positive().optional(),
    outputDim: z.number().int().positive().optional(),
  })
  .strict();
export type LayerSpec = z.infer<typeof LayerSpec>;

export const Manifest = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    task: z.enum(['classification', 'regression']),
    data: z
      .object({
        train: relativePath,
        test: relativePath.optional(),
        label: z.string().min(1),
        features: z.array(z.string().min(1)).min(1).optional(),
        split: z
          .object({ test: z.number().gt(0).lt(1).default(0.2), seed: z.number().int().default(42) })
          .strict()
          .default({ test: 0.2, seed: 42 }),
        normalize: z.enum(['standard', 'minmax', 'none']).default('standard'),
      })
      .strict(),
    model: z.object({ layers: z.array(LayerSpec).min(1) }).strict(),
    training: z
      .object({
        epochs: z.number().int().positive().max(10_000).default(20),
        batchSize: z.number().int().positive().max(65_536).default(32),
        optimizer: z.enum(['adam', 'sgd', 'rmsprop', 'adagrad']).default('adam'),
        learningRate: z.number().positive().default(0.001),
        seed: z.number().int().default(7),
        earlyStopping: z
          .object({
            patience: z.number().int().positive().describe('Epochs without a better test loss before stopping'),
            minDelta: z.number().min(0).default(0),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({ epochs: 20, batchSize: 32, optimizer: 'adam', learningRate: 0.001, seed: 7 }),
    metrics: z
      .object({ primary: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict();
export type Manifest = z.infer<typeof Manifest>;

export const MANIFEST_FILE = 'modelcommons.json';

/** JSON Schema for editors (published as modelcommons.schema.json by the build). */
export function manifestJsonSchema(): unknown {
  return z.toJSONSchema(Manifest, { io: 'input' });
}
