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

export const ImageAugment = z
  .object({
    flip: z.enum(['horizontal', 'vertical', 'both']).optional().describe('Mirror each training image at random (half the time per axis)'),
    rotate: z.number().min(0).max(180).optional().describe('Rotate by a random angle in ± this many degrees'),
    shift: z.number().min(0).max(1).optional().describe('Shift by a random fraction of the width and height in ± this'),
    zoom: z.number().min(0).lt(1).optional().describe('Zoom in or out by a random factor in 1 ± this'),
  })
  .strict()
  .describe('Random changes to each training image, drawn afresh every epoch from the training seed; validation and test images are never changed');
export type ImageAugment = z.infer<typeof ImageAugment>;

export const ImagesSpec = z
  .object({
    train: relativePath.describe('A folder with one subfolder per class; the folder name is the class'),
    validation: relativePath.optional().describe('A folder laid out like train; without it, data.split.validation of train is held out'),
    test: relativePath.optional(),
    size: z.tuple([z.number().int().min(1).max(1024), z.number().int().min(1).max(1024)]).describe('[height, width]'),
    channels: z.union([z.literal(1), z.literal(3)]).default(1),
    augment: ImageAugment.optional(),
  })
  .strict();

export const imputeStrategies = ['mean', 'median', 'mostFrequent', 'constant'] as const;
export const ImputeStrategy = z
  .enum(imputeStrategies)
  .describe(
    'mean / median: numeric columns; mostFrequent: categorical (text) columns, ties to the first in code-unit order; constant: data.imputeValue',
  );

export const TextSpec = z
  .object({
    column: z.string().min(1).describe('The text column; it is the only input (data.features is not used)'),
    maxLength: z.number().int().min(1).max(4096).describe('Tokens per row: longer texts are cut, shorter ones padded with 0'),
    vocabulary: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .describe('The most frequent tokens of the training split; id 0 is padding, 1 an unknown token, 2 … vocabulary + 1 the tokens'),
  })
  .strict()
  .describe(
    'Tokenized text: lowercased, split on anything but Unicode letters and digits; the features are maxLength token ids, for an embedding layer with inputDim = vocabulary + 2',
  );

export const InputSpec = z
  .union([
    z
      .object({
        features: z.array(z.string().min(1)).min(1).describe('Feature columns, encoded as data.features are'),
        normalize: z.enum(['standard', 'minmax', 'none']).optional().describe('Instead of data.normalize for these columns ("none" for ids an Embedding reads)'),
      })
      .strict(),
    z.object({ text: TextSpec }).strict(),
  ])
  .describe('One model input: feature columns, or one tokenized text column');
export type InputSpec = z.infer<typeof InputSpec>;

/** The losses `training.loss` may name; the first three are for classification, the rest for regression. */
export const classificationLosses = ['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy'] as const;
export const regressionLosses = ['mse', 'mae', 'huber'] as const;
export const lossNames = [...classificationLosses, ...regressionLosses] as const;
export type LossName = (typeof lossNames)[number];

/** The metrics evaluation computes (evaluation.ts), the names `metrics.primary` and `metrics.perEpoch` may use. */
export const classificationMetricNames = [
  'accuracy',
  'precision_macro',
  'recall_macro',
  'f1_macro',
  'precision_weighted',
  'recall_weighted',
  'f1_weighted',
  'log_loss',
  'roc_auc',
] as const;
export const regressionMetricNames = ['mse', 'rmse', 'mae', 'r2'] as const;

export const Manifest = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    task: z.enum(['classification', 'regression']),
    data: z
      .object({
        train: relativePath
          .optional()
          .describe('A data file (tabular data): .csv, .tsv, .jsonl, .csv.gz, .tsv.gz, .parquet, .npy, .npz, or MNIST IDX (*-idx3-ubyte[.gz] beside its *-idx1-ubyte[.gz] labels)'),
        test: relativePath.optional(),
        label: z.string().min(1).optional().describe('The column to predict (tabular data)'),
        features: z.array(z.string().min(1)).min(1).optional(),
        validation: relativePath.optional().describe('A file of validation rows laid out like data.train; without it, data.split.validation of the training rows is held out'),
        images: ImagesSpec.optional(),
        split: z
          .object({
            test: z.number().gt(0).lt(1).default(0.2).describe('The share of data.train held out for the test (without data.test)'),
            validation: z
              .number()
              .min(0)
              .lt(1)
              .default(0.1)
              .describe('The share of the training rows held out to choose the epoch and stop early (without data.validation); 0 for none'),
            seed: z.number().int().default(42),
          })
          .strict()
          .default({ test: 0.2, validation: 0.1, seed: 42 }),
        normalize: z.enum(['standard', 'minmax', 'none']).default('standard'),
        impute: z
          .union([ImputeStrategy, z.record(z.string().min(1), ImputeStrategy)])
          .optional()
          .describe(
            'Fill missing feature values (without it, a missing value is an error). One strategy for every feature column, or { "column": strategy } for just those columns. Statistics come from the training split only; the label is never imputed',
          ),
        imputeValue: z
          .union([z.number(), z.string().min(1)])
          .optional()
          .describe('The fill value of the "constant" strategy (a number for a numeric column)'),
        text: TextSpec.optional(),
        inputs: z
          .array(InputSpec)
          .min(1)
          .optional()
          .describe(
            "One entry per input of the model file, in the model's input order; each entry's columns sit side by side in one row (instead of data.features / data.text)",
          ),
      })
      .strict()
      .superRefine((data, ctx) => {
        if (data.images) {
          for (const key of ['train', 'validation', 'test', 'label', 'features', 'impute', 'imputeValue', 'text', 'inputs'] as const) {
            if (data[key] !== undefined) {
              ctx.addIssue({ code: 'custom', path: [key], message: 'not allowed with "images" (the folders are the data)' });
            }
          }
          return;
        }
        if (!data.train) ctx.addIssue({ code: 'custom', path: ['train'], message: 'required: a data file, or "images"' });
        if (!data.label) ctx.addIssue({ code: 'custom', path: ['label'], message: 'required: the column to predict' });
        const strategies = data.impute === undefined ? [] : typeof data.impute === 'string' ? [data.impute] : Object.values(data.impute);
        const constant = strategies.includes('constant');
        if (constant && data.imputeValue === undefined) {
          ctx.addIssue({ code: 'custom', path: ['imputeValue'], message: 'required by the "constant" strategy' });
        }
        if (!constant && data.imputeValue !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['imputeValue'], message: 'only used by the "constant" strategy of "impute"' });
        }
        if (data.impute !== undefined && typeof data.impute !== 'string' && data.label !== undefined && Object.hasOwn(data.impute, data.label)) {
          ctx.addIssue({ code: 'custom', path: ['impute', data.label], message: 'the label column is never imputed' });
        }
        if (data.inputs) {
          for (const key of ['features', 'text'] as const) {
            if (data[key] !== undefined) {
              ctx.addIssue({ code: 'custom', path: [key], message: 'not allowed with "inputs" (each entry names its own columns)' });
            }
          }
          data.inputs.forEach((entry, i) => {
            const columns = 'features' in entry ? entry.features : [entry.text.column];
            if (data.label !== undefined && columns.includes(data.label)) {
              ctx.addIssue({ code: 'custom', path: ['inputs', i], message: `the label column "${data.label}" cannot be an input` });
            }
          });
        }
        if (data.text) {
          for (const key of ['features', 'impute'] as const) {
            if (data[key] !== undefined) {
              ctx.addIssue({ code: 'custom', path: [key], message: 'not allowed with "text" (the text column is the only input)' });
            }
          }
          if (data.label !== undefined && data.text.column === data.label) {
            ctx.addIssue({ code: 'custom', path: ['text', 'column'], message: 'the text column cannot be the label' });
          }
        }
      }),
    model: z
      .object({
        layers: z.array(LayerSpec).min(1).optional().describe('The layers, first to last'),
        keras: relativePath.optional().describe("A Keras model's topology, as written by model.to_json()"),
        tfjs: relativePath.optional().describe('A tfjs LayersModel (model.json beside its weight files), to fine-tune'),
        evaluate: z
          .boolean()
          .optional()
          .describe('Evaluate the model file as shipped (its trained weights) on the test rows, without training'),
      })
      .strict()
      .superRefine((model, ctx) => {
        if (model.evaluate && model.layers) {
          ctx.addIssue({ code: 'custom', path: ['evaluate'], message: 'needs a model file with trained weights (model.keras or model.tfjs), not "layers"' });
        }
        const given = (['layers', 'keras', 'tfjs'] as const).filter((k) => model[k] !== undefined);
        if (given.length !== 1) {
          ctx.addIssue({ code: 'custom', message: `give exactly one of "layers", "keras" or "tfjs"${given.length ? ` (found ${given.join(' and ')})` : ''}` });
        }
      }),
    training: z
      .object({
        epochs: z.number().int().positive().max(10_000).default(20),
        batchSize: z.number().int().positive().max(65_536).default(32),
        optimizer: z.enum(['adam', 'sgd', 'rmsprop', 'adagrad']).default('adam'),
        learningRate: z.number().positive().default(0.001),
        seed: z.number().int().default(7),
        earlyStopping: z
          .object({
            patience: z.number().int().positive().describe('Epochs without a better validation loss before stopping'),
            minDelta: z.number().min(0).default(0),
            restoreBestWeights: z
              .boolean()
              .default(true)
              .describe('Keep the weights of the epoch with the lowest validation loss, not those of the last epoch'),
          })
          .strict()
          .optional()
          .describe('Stops when the validation loss stops improving (never the test loss)'),
        loss: z
          .enum(lossNames)
          .optional()
          .describe(
            'Default: sparseCategoricalCrossentropy for classification (binaryCrossentropy for a 1-unit output), mse for regression. categorical and sparse cross-entropy are the same loss here (labels are class indices); huber uses delta 1',
          ),
        fromLogits: z
          .boolean()
          .optional()
          .describe('Whether the last layer outputs logits (true) or probabilities (false); by default, probabilities exactly when its activation is softmax or sigmoid'),
        classWeights: z
          .union([z.literal('balanced'), z.record(z.string().min(1), z.number().positive())])
          .optional()
          .describe('Weights of the training loss per class: "balanced" (rows / (classes × rows of the class), on the training split) or { "class": weight } (others 1). Validation loss is unweighted'),
      })
      .strict()
      .default({ epochs: 20, batchSize: 32, optimizer: 'adam', learningRate: 0.001, seed: 7 }),
    metrics: z
      .object({
        primary: z.string().min(1),
        perEpoch: z
          .array(z.string().min(1))
          .optional()
          .describe('Validation metrics recorded after every epoch besides accuracy (classification) or r2 (regression)'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.data.images && m.task !== 'classification') {
      ctx.addIssue({ code: 'custom', path: ['task'], message: 'image folders are for classification' });
    }
    const classification = m.task === 'classification';
    const loss = m.training.loss;
    if (loss !== undefined && !(classification ? classificationLosses : regressionLosses).some((l) => l === loss)) {
      ctx.addIssue({
        code: 'custom',
        path: ['training', 'loss'],
        message: `"${loss}" is not a ${m.task} loss; use ${(classification ? classificationLosses : regressionLosses).join(', ')}`,
      });
    }
    if (m.training.classWeights !== undefined && !classification) {
      ctx.addIssue({ code: 'custom', path: ['training', 'classWeights'], message: 'class weights are for classification' });
    }
    if (m.training.fromLogits !== undefined && !classification) {
      ctx.addIssue({ code: 'custom', path: ['training', 'fromLogits'], message: 'fromLogits is for classification losses' });
    }
    if (m.data.inputs && m.data.inputs.length > 1 && m.model.layers) {
      ctx.addIssue({
        code: 'custom',
        path: ['data', 'inputs'],
        message: `${m.data.inputs.length} inputs need a model file with as many inputs (model.keras or model.tfjs); "layers" has one`,
      });
    }
    const names: readonly string[] = classification ? classificationMetricNames : regressionMetricNames;
    const primary = m.metrics?.primary;
    if (primary !== undefined && !names.includes(primary)) {
      ctx.addIssue({ code: 'custom', path: ['metrics', 'primary'], message: `unknown ${m.task} metric "${primary}"; known: ${names.join(', ')}` });
    }
    (m.metrics?.perEpoch ?? []).forEach((name, i) => {
      if (!names.includes(name)) {
        ctx.addIssue({ code: 'custom', path: ['metrics', 'perEpoch', i], message: `unknown ${m.task} metric "${name}"; known: ${names.join(', ')}` });
      }
    });
    const validation = m.data.validation ?? m.data.images?.validation;
    if (m.training.earlyStopping && validation === undefined && m.data.split.validation === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['training', 'earlyStopping'],
        message: 'early stopping watches the validation loss: set data.split.validation above 0 or give a validation file or folder',
      });
    }
  });
export type Manifest = z.infer<typeof Manifest>;

export const MANIFEST_FILE = 'modelcommons.json';

/** JSON Schema for editors (published as modelcommons.schema.json by the build). */
export function manifestJsonSchema(): unknown {
  return z.toJSONSchema(Manifest, { io: 'input' });
}
