// Builds a tfjs-layers model from the manifest's declarative layer list; an unknown layer type is named in the error.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { layerTypes, type LayerSpec, type Manifest } from '../../../../shared/manifest.js';
import { AppError } from '../../portable/app-error.js';

/** A parameter budget keeps an absurd manifest from exhausting the laptop. */
export const MAX_PARAMETERS = 50_000_000;

interface Initializers {
  kernelInitializer: ReturnType<typeof tfl.initializers.glorotUniform>;
  biasInitializer: 'zeros';
}
type LayerFactory = (spec: LayerSpec, init: Initializers, seed: number) => tfl.layers.Layer;

const pair = (v: number | number[] | undefined) => v as number | [number, number] | undefined;

const factories: Record<(typeof layerTypes)[number], LayerFactory> = {
  dense: (s, c) => tfl.layers.dense({ ...c, units: req(s, 'units'), activation: act(s) }),
  dropout: (s, _c, seed) => tfl.layers.dropout({ rate: s.rate ?? 0.5, seed }),
  batchNormalization: () => tfl.layers.batchNormalization({}),
  reshape: (s) => tfl.layers.reshape({ targetShape: req(s, 'targetShape') }),
  conv2d: (s, c) =>
    tfl.layers.conv2d({
      ...c,
      filters: req(s, 'filters'),
      kernelSize: req(s, 'kernelSize') as number | number[],
      strides: pair(s.strides) ?? 1,
      padding: s.padding ?? 'valid',
      activation: act(s),
    }),
  maxPooling2d: (s) =>
    tfl.layers.maxPooling2d({ poolSize: pair(s.poolSize) ?? 2, strides: pair(s.strides), padding: s.padding ?? 'valid' }),
  averagePooling2d: (s) =>
    tfl.layers.averagePooling2d({ poolSize: pair(s.poolSize) ?? 2, strides: pair(s.strides), padding: s.padding ?? 'valid' }),
  flatten: () => tfl.layers.flatten({}),
  embedding: (s, _c, seed) =>
    tfl.layers.embedding({
      inputDim: req(s, 'inputDim'),
      outputDim: req(s, 'outputDim'),
      embeddingsInitializer: tfl.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
    }),
  globalAveragePooling1d: () => tfl.layers.globalAveragePooling1d({}),
  // Keras's default recurrent initializer (orthogonal) needs chained tensor methods that tfjs-core's Node
  // bundle does not register; glorotUniform trains as well on these small models.
  lstm: (s, c, seed) =>
    tfl.layers.lstm({ ...c, units: req(s, 'units'), recurrentInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) }),
};

function req<K extends keyof LayerSpec>(spec: LayerSpec, key: K): NonNullable<LayerSpec[K]> {
  const v = spec[key];
  if (v === undefined || v === null) {
    throw new AppError('training', `Layer "${spec.type}" needs "${String(key)}" in the manifest`);
  }
  return v as NonNullable<LayerSpec[K]>;
}

function act(spec: LayerSpec) {
  return (spec.activation ?? 'linear') as 'linear';
}

export function tooManyParameters(n: number): AppError {
  return new AppError('training', `The model has ${n.toLocaleString('en')} parameters; the limit is ${MAX_PARAMETERS.toLocaleString('en')}`);
}

/** Parameters of the layer stack, from shapes alone (no weights are made). */
function countParameters(specs: readonly LayerSpec[], layers: tfl.layers.Layer[], inputSize: number): number {
  let shape: (number | null)[] = [null, inputSize];
  let total = 0;
  layers.forEach((layer, i) => {
    const spec = specs[i]!;
    const last = Number(shape.at(-1) ?? 0);
    const k = (v: number | number[] | undefined) => (Array.isArray(v) ? v.reduce((a, b) => a * b, 1) : (v ?? 1) ** 2);
    if (spec.type === 'dense') total += last * (spec.units ?? 0) + (spec.units ?? 0);
    else if (spec.type === 'conv2d') total += k(spec.kernelSize) * last * (spec.filters ?? 0) + (spec.filters ?? 0);
    else if (spec.type === 'embedding') total += (spec.inputDim ?? 0) * (spec.outputDim ?? 0);
    else if (spec.type === 'lstm') total += 4 * ((spec.units ?? 0) * (last + (spec.units ?? 0)) + (spec.units ?? 0));
    else if (spec.type === 'batchNormalization') total += 4 * last;
    try {
      shape = layer.computeOutputShape(shape) as (number | null)[];
    } catch (err) {
      throw new AppError('training', `Layer ${i + 1} ("${spec.type}") does not fit: ${(err as Error).message}`);
    }
  });
  return total;
}

export interface BuiltModel {
  readonly model: tfl.LayersModel;
  readonly parameters: number;
}

/**
 * Builds and compiles the model. The last layer's size must match the task: `numClasses` units for
 * classification (or 1 unit, the second class's score, for 2 classes: binary cross-entropy), one unit for
 * regression. The loss the loop trains with is chosen in losses.ts.
 */
export function buildModel(manifest: Manifest, inputSize: number, numClasses: number | null): BuiltModel {
  const seed = manifest.training.seed;
  const specs = manifest.model.layers;
  if (!specs) throw new AppError('training', 'This manifest declares its model by file ("keras" or "tfjs"), not by "layers"');
  const layers = specs.map((spec, i) => {
    const factory = factories[spec.type as (typeof layerTypes)[number]];
    if (!factory) {
      throw new AppError(
        'training',
        `Unknown layer type "${spec.type}" (layer ${i + 1}); known types: ${layerTypes.join(', ')}`,
      );
    }
    const common = { kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + i }), biasInitializer: 'zeros' as const };
    return factory(spec, common, seed + i);
  });
  // Count before building: building allocates every weight, which an absurd manifest must not get to do.
  const planned = countParameters(specs, layers, inputSize);
  if (planned > MAX_PARAMETERS) throw tooManyParameters(planned);

  const input = tfl.input({ shape: [inputSize] });
  let x: tfl.SymbolicTensor = input;
  layers.forEach((layer, i) => {
    try {
      x = layer.apply(x) as tfl.SymbolicTensor;
    } catch (err) {
      throw new AppError('training', `Layer ${i + 1} ("${specs[i]!.type}") does not fit: ${(err as Error).message}`);
    }
  });
  const model = tfl.model({ inputs: input, outputs: x });

  const outUnits = model.outputs[0]!.shape.at(-1);
  const wanted = numClasses ?? 1;
  if (outUnits !== wanted && !(numClasses === 2 && outUnits === 1)) {
    throw new AppError(
      'training',
      manifest.task === 'classification'
        ? `The last layer has ${outUnits} units but the data has ${wanted} classes${wanted === 2 ? ' (or use 1 sigmoid unit for 2 classes)' : ''}`
        : `The last layer has ${outUnits} units; a regression model needs 1`,
    );
  }
  const parameters = model.countParams();
  if (parameters > MAX_PARAMETERS) throw tooManyParameters(parameters);
  compileForTask(model, manifest);
  return { model, parameters };
}

/**
 * Compiles a model with the manifest's optimizer and a loss of its kind (the training loop computes the manifest's
 * own loss, losses.ts; compiling gives the model its optimizer).
 */
export function compileForTask(model: tfl.LayersModel, manifest: Manifest): void {
  const { optimizer, learningRate } = manifest.training;
  const opt =
    optimizer === 'sgd'
      ? tf.train.sgd(learningRate)
      : optimizer === 'rmsprop'
        ? tf.train.rmsprop(learningRate)
        : optimizer === 'adagrad'
          ? tf.train.adagrad(learningRate)
          : tf.train.adam(learningRate);
  model.compile({
    optimizer: opt,
    loss:
      manifest.task === 'regression'
        ? 'meanSquaredError'
        : model.outputs[0]!.shape.at(-1) === 1
          ? 'binaryCrossentropy'
          : 'sparseCategoricalCrossentropy',
  });
}
