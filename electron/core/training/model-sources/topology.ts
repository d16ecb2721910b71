// Checks a Keras-style model topology (tf.keras 2.x `model.to_json()`, or the `modelTopology` of a tfjs model.json)
// before tfjs builds it: no code-carrying layers, only classes tfjs implements, the input and output sizes the data
// needs, and a parameter count from shapes alone, so that an absurd topology is refused without allocating a weight.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { AppError } from '../../app-error.js';
import { MAX_PARAMETERS, tooManyParameters } from '../portable/build-model.js';
import { GRU_RESET_AFTER_CLASS } from './gru-reset-after.js';
import { INPUT_COLUMNS_CLASS } from './input-columns.js';

export type Json = Record<string, unknown>;
type Shape = (number | null)[];

export const SUPPORTED_KERAS = 'tf.keras 2.x (TensorFlow 2.4 to 2.15, or tf_keras) model.to_json()';

/** Most layers a topology may list (the walk below is quadratic in the worst case). */
const MAX_LAYERS = 2_000;

/** Layer classes whose weights we can count from their configuration, and how. */
type Counter = (c: Json, input: Shape, channelAxis: number) => number;
const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
const bias = (c: Json, n: number) => (c.use_bias === false ? 0 : n);
const kernel = (c: Json, rank: number) => {
  const k = c.kernel_size;
  return Array.isArray(k) ? prod(k.map(Number)) : Number(k ?? 1) ** rank;
};
const conv = (rank: number): Counter => (c, s, axis) => {
  const filters = num(c.filters);
  return kernel(c, rank) * dim(s, axis) * filters + bias(c, filters);
};
const rnn = (gates: number): Counter => (c, s) => {
  const units = num(c.units);
  const biasSize = gates === 3 && c.reset_after !== false ? 2 * gates * units : gates * units;
  return gates * units * (dim(s, -1) + units) + bias(c, biasSize);
};
const none: Counter = () => 0;

const counters: Record<string, Counter> = {
  Dense: (c, s) => dim(s, -1) * num(c.units) + bias(c, num(c.units)),
  Conv1D: conv(1),
  Conv2D: conv(2),
  Conv3D: conv(3),
  Conv2DTranspose: conv(2),
  Conv3DTranspose: conv(3),
  DepthwiseConv2D: (c, s, axis) => {
    const out = dim(s, axis) * num(c.depth_multiplier ?? 1);
    return kernel(c, 2) * out + bias(c, out);
  },
  SeparableConv2D: (c, s, axis) => {
    const depth = dim(s, axis) * num(c.depth_multiplier ?? 1);
    return kernel(c, 2) * depth + depth * num(c.filters) + bias(c, num(c.filters));
  },
  Embedding: (c) => num(c.input_dim) * num(c.output_dim),
  SimpleRNN: rnn(1),
  LSTM: rnn(4),
  GRU: rnn(3),
  [GRU_RESET_AFTER_CLASS]: rnn(3),
  [INPUT_COLUMNS_CLASS]: none,
  ConvLSTM2D: (c, s) => {
    const filters = num(c.filters);
    return 4 * filters * kernel(c, 2) * (dim(s, -1) + filters) + bias(c, 4 * filters);
  },
  BatchNormalization: (c, s) => {
    const axis = Array.isArray(c.axis) ? c.axis.map(Number) : [Number(c.axis ?? -1)];
    const n = prod(axis.map((a) => dim(s, a)));
    return n * (2 + (c.center === false ? 0 : 1) + (c.scale === false ? 0 : 1));
  },
  LayerNormalization: (c, s) => dim(s, -1) * ((c.center === false ? 0 : 1) + (c.scale === false ? 0 : 1)),
  PReLU: (_c, s) => prod(s.slice(1).map((d) => d ?? 1)),
  // Wrappers: the wrapped layer's weights (twice for the two directions).
  Bidirectional: (c, s, axis) => 2 * countWrapped(c, s, axis),
  TimeDistributed: (c, s, axis) => countWrapped(c, [s[0] ?? null, ...s.slice(2)], axis),
};
for (const name of [
  'InputLayer', 'Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'Activation', 'ReLU',
  'LeakyReLU', 'ELU', 'Softmax', 'ThresholdedReLU', 'Flatten', 'Reshape', 'Permute', 'RepeatVector', 'Masking',
  'MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D',
  'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'ZeroPadding2D',
  'Cropping2D', 'UpSampling2D', 'Add', 'Average', 'Concatenate', 'Dot', 'Maximum', 'Minimum', 'Multiply', 'Rescaling',
]) {
  counters[name] = none;
}
const modelClasses = new Set(['Sequential', 'Functional', 'Model']);

function countWrapped(c: Json, s: Shape, axis: number): number {
  const inner = c.layer as Json | undefined;
  const cls = typeof inner?.class_name === 'string' ? inner.class_name : '';
  const counter = counters[cls];
  if (!counter || !inner || typeof inner.config !== 'object' || inner.config === null) {
    throw new AppError('training', `A wrapper layer wraps "${cls || '?'}", which cannot be loaded here`);
  }
  return counter(inner.config as Json, s, axis);
}

function num(v: unknown): number {
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : NaN;
}

function dim(s: Shape, axis: number): number {
  const d = s.at(axis);
  return typeof d === 'number' ? d : NaN;
}

export interface TopologyPlan {
  /** The `{class_name, config}` object of the model itself (inside `model_config` when there is one). */
  readonly model: Json;
  readonly layers: Json[];
  readonly parameters: number;
}

/**
 * Validates a topology for data with `inputSize` features and `outputUnits` outputs, and counts its parameters;
 * `what` names the file in errors. Throws an AppError with one readable line for anything refused.
 */
export function planTopology(topology: unknown, what: string, inputSize: number, outputUnits: number, task: string): TopologyPlan {
  if (!isObject(topology)) throw new AppError('training', `${what}: not a model topology (expected a JSON object)`);
  // First, and without recursion: every later step (the Keras 3 sniff stringifies) would overflow the stack.
  checkDepth(topology, what);
  refuseKeras3(topology, what);
  const model = isObject(topology.model_config) ? topology.model_config : topology;
  const cls = model.class_name;
  if (typeof cls !== 'string' || !modelClasses.has(cls)) {
    throw new AppError('training', `${what}: the top-level class is ${JSON.stringify(cls ?? null)}; expected a Sequential or functional Model (${SUPPORTED_KERAS})`);
  }
  refuseCode(model, what);
  const config = model.config;
  const layers = (Array.isArray(config) ? config : isObject(config) ? config.layers : undefined) as unknown;
  if (!Array.isArray(layers) || layers.length === 0) throw new AppError('training', `${what}: the model lists no layers`);
  if (layers.length > MAX_LAYERS) throw new AppError('training', `${what}: the model has ${layers.length} layers; the limit is ${MAX_LAYERS}`);
  layers.forEach((l, i) => checkLayerClass(l, i, what));
  const typed = layers as Json[];

  const walk = cls === 'Sequential' ? walkSequential(typed, isObject(config) ? config : {}, inputSize, what) : walkFunctional(typed, config as Json, what);
  checkInput(walk.input, inputSize, what);
  checkOutput(walk.output, outputUnits, task, what);
  if (!(walk.parameters <= MAX_PARAMETERS)) {
    if (Number.isNaN(walk.parameters)) throw new AppError('training', `${what}: a layer's size is missing or not a number`);
    throw tooManyParameters(walk.parameters);
  }
  return { model, layers: typed, parameters: walk.parameters };
}

/** How deep a topology's objects and arrays may nest (a real one is under 15). */
const MAX_DEPTH = 64;

export function checkDepth(topology: unknown, what: string): void {
  const stack: [unknown, number][] = [[topology, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DEPTH) throw new AppError('training', `${what}: the topology is nested more than ${MAX_DEPTH} levels deep`);
    for (const v of Array.isArray(value) ? value : Object.values(value)) stack.push([v, depth + 1]);
  }
}

/** Keras 3 writes a different topology (module keys on the model, `batch_shape`, `__keras_tensor__` nodes, dtype policies). */
function refuseKeras3(topology: Json, what: string): void {
  const version = typeof topology.keras_version === 'string' ? topology.keras_version : '';
  const text = JSON.stringify(topology);
  const keras3 =
    /^3\./.test(version) ||
    (typeof topology.module === 'string' && topology.keras_version === undefined) ||
    text.includes('"__keras_tensor__"') ||
    text.includes('"DTypePolicy"') ||
    /"class_name":\s*"InputLayer",[^{}]*"config":\s*\{[^{}]*"batch_shape"/.test(text);
  if (keras3) {
    throw new AppError('training', `${what}: this is a Keras 3 topology, which is not supported; export the model with ${SUPPORTED_KERAS}`);
  }
}

const codeKeys = new Set(['function', 'function_type', 'output_shape_type', 'closure', 'code', 'defaults']);
const codeClasses = new Set(['Lambda', 'TFOpLambda', 'SlicingOpLambda', '__lambda__', 'function', 'LambdaLayer']);

/** Nothing that carries Python code (Lambda bytecode, functions, custom registered classes) is accepted. */
function refuseCode(value: unknown, what: string, depth = 0): void {
  if (depth > MAX_DEPTH) throw new AppError('training', `${what}: the topology is nested more than ${MAX_DEPTH} levels deep`);
  if (Array.isArray(value)) {
    for (const v of value) refuseCode(v, what, depth + 1);
    return;
  }
  if (!isObject(value)) return;
  const cls = value.class_name;
  if (typeof cls === 'string' && codeClasses.has(cls)) {
    throw new AppError('training', `${what}: "${cls}" carries Python code, which ModelCommons never runs; rewrite it with built-in layers`);
  }
  if (typeof value.registered_name === 'string' && value.registered_name !== cls) {
    throw new AppError('training', `${what}: the custom class "${value.registered_name}" is defined in Python code, which ModelCommons never runs`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (codeKeys.has(key) && v !== null) {
      throw new AppError('training', `${what}: a "${key}" entry carries Python code, which ModelCommons never runs`);
    }
    refuseCode(v, what, depth + 1);
  }
}

function checkLayerClass(layer: unknown, i: number, what: string): void {
  if (!isObject(layer) || typeof layer.class_name !== 'string' || !isObject(layer.config)) {
    throw new AppError('training', `${what}: layer ${i + 1} is not a {"class_name", "config"} object`);
  }
  const cls = layer.class_name;
  if (!(cls in tf.serialization.SerializationMap.getMap().classNameMap)) {
    throw new AppError('training', `${what}: layer ${i + 1} ("${layerName(layer)}") is a ${cls}, a layer class tfjs does not implement`);
  }
  if (!counters[cls]) {
    throw new AppError('training', `${what}: layer ${i + 1} ("${layerName(layer)}") is a ${cls}, which cannot be loaded from a file here`);
  }
  if (Number(layer.config.groups ?? 1) !== 1) {
    throw new AppError('training', `${what}: layer ${i + 1} ("${layerName(layer)}") uses groups=${String(layer.config.groups)}, which tfjs does not support`);
  }
}

interface Walk {
  readonly input: Shape;
  readonly output: Shape;
  readonly parameters: number;
}

function walkSequential(layers: Json[], config: Json, inputSize: number, what: string): Walk {
  const first = layers[0]!;
  const firstConfig = first.config as Json;
  let input = shapeOf(firstConfig.batch_input_shape) ?? shapeOf(config.build_input_shape);
  if (!input) {
    // A Sequential model saved before it was built: give it the data's shape.
    input = [null, inputSize];
    firstConfig.batch_input_shape = input;
  }
  let shape = input;
  let parameters = 0;
  layers.forEach((layer, i) => {
    if (layer.class_name === 'InputLayer') {
      if (i !== 0) throw new AppError('training', `${what}: an InputLayer may only come first (layer ${i + 1})`);
      return;
    }
    const out = step(layer, [shape], i, what);
    parameters += out.parameters;
    shape = out.shape;
  });
  return { input, output: shape, parameters };
}

function walkFunctional(layers: Json[], config: Json, what: string): Walk {
  const ends = (key: 'input_layers' | 'output_layers') => {
    const list = config[key];
    const items = Array.isArray(list) && list.length && !Array.isArray(list[0]) ? [list] : list;
    if (!Array.isArray(items) || items.length !== 1 || !Array.isArray(items[0])) {
      throw new AppError('training', `${what}: the model needs exactly one ${key === 'input_layers' ? 'input' : 'output'} (found ${Array.isArray(items) ? items.length : 0})`);
    }
    const [name, node, tensor] = items[0] as unknown[];
    return `${String(name)}#${Number(node ?? 0)}#${Number(tensor ?? 0)}`;
  };
  const inputKey = ends('input_layers');
  const outputKey = ends('output_layers');
  const shapes = new Map<string, Shape>();
  let input: Shape | null = null;
  let parameters = 0;
  const pending = new Set(layers.map((_, i) => i));
  while (pending.size) {
    let progressed = false;
    for (const i of [...pending]) {
      const layer = layers[i]!;
      const name = layerName(layer);
      if (layer.class_name === 'InputLayer') {
        const shape = shapeOf((layer.config as Json).batch_input_shape);
        if (!shape) throw new AppError('training', `${what}: the input "${name}" has no batch_input_shape`);
        shapes.set(`${name}#0#0`, shape);
        if (`${name}#0#0` === inputKey) input = shape;
        pending.delete(i);
        progressed = true;
        continue;
      }
      const nodes = Array.isArray(layer.inbound_nodes) ? (layer.inbound_nodes as unknown[]) : [];
      if (!nodes.length) throw new AppError('training', `${what}: layer ${i + 1} ("${name}") is not connected to anything`);
      const inbound = nodes.map((node) => (Array.isArray(node) ? node : []).map((t) => (Array.isArray(t) ? `${String(t[0])}#${Number(t[1] ?? 0)}#${Number(t[2] ?? 0)}` : '?')));
      if (!inbound.every((keys) => keys.length && keys.every((k) => shapes.has(k)))) continue;
      inbound.forEach((keys, n) => {
        const out = step(layer, keys.map((k) => shapes.get(k)!), i, what);
        if (n === 0) parameters += out.parameters; // a shared layer's weights count once
        shapes.set(`${name}#${n}#0`, out.shape);
      });
      pending.delete(i);
      progressed = true;
    }
    if (!progressed) {
      const stuck = [...pending].map((i) => layerName(layers[i]!)).join(', ');
      throw new AppError('training', `${what}: the layers ${stuck} take inputs that no layer produces`);
    }
  }
  const output = shapes.get(outputKey);
  if (!input) throw new AppError('training', `${what}: the model's input "${inputKey.split('#')[0]}" is not an InputLayer`);
  if (!output) throw new AppError('training', `${what}: the model's output "${outputKey.split('#')[0]}" is not produced by any layer`);
  return { input, output, parameters };
}

/** One layer: its parameter count and output shape, from a tfjs layer object that is never built. */
function step(layer: Json, inputs: Shape[], i: number, what: string): { parameters: number; shape: Shape } {
  const cls = layer.class_name as string;
  const config = layer.config as Json;
  const fits = (err: unknown) => new AppError('training', `${what}: layer ${i + 1} ("${layerName(layer)}", ${cls}) does not fit: ${firstLine(err)}`);
  let shape: Shape;
  let instance: tfl.layers.Layer;
  try {
    const entry = tf.serialization.SerializationMap.getMap().classNameMap[cls]!;
    const [ctor, fromConfig] = entry as unknown as [unknown, (c: unknown, cfg: unknown) => tfl.layers.Layer];
    instance = fromConfig(ctor, pythonicToTs(structuredClone(config)));
  } catch (err) {
    throw new AppError('training', `${what}: layer ${i + 1} ("${layerName(layer)}", ${cls}) cannot be read: ${firstLine(err)}`);
  }
  const channelAxis = config.data_format === 'channels_first' ? 1 : -1;
  const first = inputs[0]!;
  const parameters = counters[cls]!(config, first, channelAxis);
  try {
    shape = instance.computeOutputShape(inputs.length === 1 ? first : inputs) as Shape;
  } catch (err) {
    throw fits(err);
  }
  if (Array.isArray(shape[0])) shape = shape[0] as unknown as Shape; // layers returning states: the main output
  if (!Array.isArray(shape) || shape.some((d) => d !== null && !(Number.isInteger(d) && d >= 0))) {
    throw fits(new Error(`its output shape would be ${JSON.stringify(shape)}`));
  }
  return { parameters, shape };
}

function checkInput(input: Shape, inputSize: number, what: string): void {
  const dims = input.slice(1);
  if (dims.length === 1 && dims[0] === inputSize) return;
  const size = dims.every((d) => typeof d === 'number') ? prod(dims as number[]) : NaN;
  const hint =
    dims.length > 1 && size === inputSize
      ? `; start the model with a flat input of ${inputSize} and a Reshape to [${dims.join(', ')}]`
      : '';
  throw new AppError(
    'training',
    `${what}: the model takes inputs of shape [${dims.map((d) => d ?? 'None').join(', ')}] but the data has ${inputSize} features per row${hint}`,
  );
}

function checkOutput(output: Shape, wanted: number, task: string, what: string): void {
  const units = output.at(-1);
  if (output.length === 2 && units === wanted) return;
  if (output.length === 2 && units === 1 && wanted === 2 && task === 'classification') return; // one sigmoid unit: binary
  if (output.length === 3) {
    // A sequence tagger (TimeDistributed, return_sequences): one label per step, where the data has one per row.
    throw new AppError('training', `${what}: the model outputs a prediction per time step (shape [${output.slice(1).map((d) => d ?? 'None').join(', ')}]); ModelCommons trains one label per row`);
  }
  const shape = `[${output.slice(1).map((d) => d ?? 'None').join(', ')}]`;
  throw new AppError(
    'training',
    task === 'classification'
      ? `${what}: the model outputs ${output.length === 2 ? `${units} units` : `shape ${shape}`} but the data has ${wanted} classes`
      : `${what}: the model outputs ${output.length === 2 ? `${units} units` : `shape ${shape}`}; a regression model needs 1`,
  );
}

/** The configuration keys tfjs expects (camelCase), as tfjs-layers' own convertPythonicToTs makes them. */
function pythonicToTs(value: unknown, key?: string): unknown {
  if (typeof value === 'string') return camel(value);
  if (Array.isArray(value)) return value.map((v, i) => (i === 0 && typeof v === 'string' && key === 'inboundNodes' ? v : pythonicToTs(v, key)));
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'name' && typeof v === 'string') out[k] = v;
    else out[camel(k)] = pythonicToTs(v, camel(k));
  }
  return out;
}

function camel(s: string): string {
  return s.length <= 1 || !s.includes('_') ? s : s.replace(/_+(\w|$)/g, (_m, c: string) => c.toUpperCase());
}

function shapeOf(v: unknown): Shape | null {
  return Array.isArray(v) && v.length >= 1 && v.every((d) => d === null || (Number.isInteger(d) && (d as number) >= 0)) ? (v as Shape) : null;
}

export function layerName(layer: Json): string {
  const config = layer.config as Json | undefined;
  const name = typeof layer.name === 'string' ? layer.name : config?.name;
  return typeof name === 'string' ? name : '?';
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n')[0] ?? '').trim();
}
