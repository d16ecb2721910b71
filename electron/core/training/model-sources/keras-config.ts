// Translates a Keras model config as people save it (tf.keras 2.0–2.15 `to_json()`, the `model_config` of an .h5,
// a Keras 3 `config.json` from a .keras archive, a tfjs model.json's `modelTopology`) into the tf.keras 2.x form
// tfjs-layers reads. Nothing is executed: classes that carry Python code or ops tfjs cannot run are refused in one
// line naming the layer and the op.
import type { LossName } from '../../../../shared/manifest.js';
import { AppError } from '../../app-error.js';
import { GRU_RESET_AFTER_CLASS } from './gru-reset-after.js';
import { isObject, type Json } from './topology.js';

/** What the file says the model was compiled with, in the manifest's names (used when the manifest sets none). */
export interface DeclaredTraining {
  readonly loss?: LossName;
  readonly fromLogits?: boolean;
  /** The metric names as the file gives them (reported, not used: the manifest's metrics are computed). */
  readonly metrics: readonly string[];
  /** The loss as the file names it, for the report (also when it has no manifest equivalent). */
  readonly fileLoss?: string;
}

export interface NormalizedKeras {
  /** A tf.keras 2.x-style `{class_name: "Sequential" | "Model", config}` that tfjs-layers' fromJSON accepts. */
  readonly topology: Json;
  readonly format: 'keras2' | 'keras3';
  readonly declared: DeclaredTraining | null;
}

const modelClasses = new Set(['Sequential', 'Functional', 'Model']);

/** Python-code layers and TensorFlow/Keras op wrappers: their meaning is code we never run. */
const codeClasses = new Set(['Lambda', 'TFOpLambda', 'SlicingOpLambda', '__lambda__', 'LambdaLayer', 'function']);

/** Keras initializer class names tfjs spells differently. */
const initializerNames: Record<string, string> = {
  OrthogonalInitializer: 'Orthogonal',
  LecunNormal: 'LeCunNormal',
  LecunUniform: 'LeCunUniform',
  IdentityInitializer: 'Identity',
};

/** Keras activation names tfjs knows under another name; anything not in `tfjsActivations` is refused. */
const activationNames: Record<string, string> = { silu: 'swish', hard_silu: 'hard_swish' };
const tfjsActivations = new Set([
  'elu', 'hard_sigmoid', 'linear', 'relu', 'relu6', 'selu', 'sigmoid', 'softmax', 'log_softmax', 'softplus', 'softsign',
  'tanh', 'swish', 'mish', 'gelu', 'gelu_new',
]);

/** Config keys Keras 3 adds that tfjs-layers has no use for (weights quantization, LoRA, cuDNN, build shapes). */
const droppedKeys = new Set([
  'module', 'registered_name', 'build_config', 'shared_object_id', 'quantization_config', 'lora_rank', 'lora_alpha',
  'use_cudnn', 'optional', 'synchronized', 'compile_config',
]);

/**
 * Normalizes `raw` (what the file holds) for tfjs. `what` names the file in errors. Throws an AppError with one line
 * for a config it refuses.
 */
export function normalizeKeras(raw: unknown, what: string): NormalizedKeras {
  if (!isObject(raw)) throw new AppError('training', `${what}: not a model topology (expected a JSON object)`);
  const model = isObject(raw.model_config) ? raw.model_config : raw;
  const version = typeof raw.keras_version === 'string' ? raw.keras_version : typeof model.keras_version === 'string' ? model.keras_version : '';
  const text = JSON.stringify(model);
  const keras3 =
    /^3\./.test(version) ||
    typeof model.module === 'string' ||
    text.includes('"__keras_tensor__"') ||
    text.includes('"DTypePolicy"') ||
    text.includes('"batch_shape"');
  const cls = model.class_name;
  if (typeof cls !== 'string' || !modelClasses.has(cls)) {
    throw new AppError('training', `${what}: the top-level class is ${JSON.stringify(cls ?? null)}; expected a Sequential or functional Model`);
  }
  const topology = normalizeModel(model, what);
  if (typeof raw.backend === 'string') topology.backend = raw.backend;
  const declared = declaredTraining(isObject(raw.training_config) ? raw.training_config : isObject(model.compile_config) ? model.compile_config : isObject(raw.compile_config) ? raw.compile_config : null);
  return { topology, format: keras3 ? 'keras3' : 'keras2', declared };
}

function normalizeModel(model: Json, what: string): Json {
  const cls = model.class_name as string;
  const config = model.config;
  // tf.keras 2.0–2.2 wrote a Sequential's config as the bare list of layers.
  const layersIn = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layersIn) || layersIn.length === 0) throw new AppError('training', `${what}: the model lists no layers`);
  const layers = layersIn.map((layer, i) => normalizeLayer(layer, i, what, cls === 'Sequential'));
  const out: Json = { name: isObject(config) && typeof config.name === 'string' ? config.name : 'model', layers };
  if (cls === 'Sequential') {
    foldSequentialInput(layers, isObject(config) ? config : {});
    return { class_name: 'Sequential', config: out };
  }
  const c = config as Json;
  out.input_layers = c.input_layers;
  out.output_layers = c.output_layers;
  return { class_name: 'Model', config: out };
}

/** A Sequential built from `build_input_shape` alone (no InputLayer, no batch_input_shape) gets it on its first layer. */
function foldSequentialInput(layers: Json[], config: Json): void {
  const first = layers[0]!;
  if (first.class_name === 'InputLayer' || !isObject(first.config) || first.config.batch_input_shape !== undefined) return;
  if (Array.isArray(config.build_input_shape)) first.config.batch_input_shape = config.build_input_shape;
}

function normalizeLayer(layer: unknown, i: number, what: string, sequential: boolean): Json {
  if (!isObject(layer) || typeof layer.class_name !== 'string' || !isObject(layer.config)) {
    throw new AppError('training', `${what}: layer ${i + 1} is not a {"class_name", "config"} object`);
  }
  const name = typeof layer.config.name === 'string' ? layer.config.name : typeof layer.name === 'string' ? layer.name : '?';
  const where = `${what}: layer ${i + 1} ("${name}")`;
  refuseOp(layer, where);
  let cls = layer.class_name;
  if (cls === 'Functional' || cls === 'Model' || cls === 'Sequential') {
    throw new AppError('training', `${where} is a whole ${cls} model nested as a layer, which cannot be loaded here; save the model flat`);
  }
  const config = normalizeConfig(layer.config, where);
  if (cls === 'BatchNormalization') config.axis = batchNormAxis(config.axis, where);
  if (cls === 'SeparableConv2D' || cls === 'DepthwiseConv2D') {
    // tf.keras writes the Conv base class's kernel_* keys here too; Keras ignores them, tfjs refuses them.
    delete config.kernel_initializer;
    delete config.kernel_regularizer;
    delete config.kernel_constraint;
  }
  if (cls === 'GRU' && config.reset_after === true) cls = GRU_RESET_AFTER_CLASS;
  if (isObject(config.layer)) config.layer = normalizeLayer(config.layer, i, what, false);
  const out: Json = { class_name: cls, config };
  if (!sequential) {
    out.name = name;
    out.inbound_nodes = inboundNodes(layer.inbound_nodes, where);
  }
  return out;
}

/** Refuses Lambda-style layers and Keras 3 op layers (`keras.src.ops…`), naming the op. */
function refuseOp(layer: Json, where: string): void {
  const cls = layer.class_name as string;
  const config = layer.config as Json;
  const module = typeof layer.module === 'string' ? layer.module : '';
  if (codeClasses.has(cls)) {
    const fn = typeof config.function === 'string' ? ` (the op ${config.function})` : '';
    throw new AppError('training', `${where} is a ${cls}${fn}: it carries Python code or a TensorFlow op, which ModelCommons never runs; rewrite it with built-in layers`);
  }
  if (module.startsWith('keras.src.ops') || module.startsWith('keras.ops')) {
    throw new AppError('training', `${where} is the op ${cls} (${module}), which tfjs layers cannot run; rewrite it with built-in layers`);
  }
  const registered = layer.registered_name;
  if (typeof registered === 'string' && registered !== cls && !registered.startsWith('keras.')) {
    throw new AppError('training', `${where} is the custom class "${registered}", defined in Python code, which ModelCommons never runs`);
  }
}

function normalizeConfig(config: Json, where: string): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(config)) {
    if (droppedKeys.has(key) || (key === 'seed' && value === null)) continue;
    if (key === 'batch_shape' || key === 'batchInputShape') out.batch_input_shape = value;
    else if (key === 'dtype') out.dtype = dtypeOf(value);
    else if (key.endsWith('_initializer')) out[key] = classObject(value, 'initializer', where);
    else if (key.endsWith('_regularizer')) out[key] = regularizer(value, where);
    else if (key.endsWith('_constraint')) out[key] = classObject(value, 'constraint', where);
    else if (key === 'activation' || key === 'recurrent_activation') out[key] = activation(value, where);
    else if (key === 'layer') out[key] = value; // a wrapper's inner layer, normalized by the caller
    else out[key] = value;
  }
  return out;
}

/** Keras 3 dtype policies (`{"class_name": "DTypePolicy", "config": {"name": "float32"}}`) become the dtype string. */
function dtypeOf(value: unknown): unknown {
  if (!isObject(value)) return value;
  const name = isObject(value.config) && typeof value.config.name === 'string' ? value.config.name : 'float32';
  // Mixed-precision policies compute in float16 on accelerators; tfjs trains in float32.
  return name.startsWith('mixed_') || name === 'float16' || name === 'bfloat16' ? 'float32' : name;
}

function classObject(value: unknown, kind: string, where: string): unknown {
  if (value === null || typeof value === 'string') return value;
  if (!isObject(value) || typeof value.class_name !== 'string') throw new AppError('training', `${where}: an ${kind} is not a {"class_name", "config"} object`);
  const cls = initializerNames[value.class_name] ?? value.class_name;
  const config = isObject(value.config) ? { ...value.config } : {};
  delete config.shared_object_id;
  return { class_name: cls, config };
}

/** tf.keras ≥ 2.6 and Keras 3 write `L2`/`L1`; tfjs knows only `L1L2`. */
function regularizer(value: unknown, where: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    // Keras's string shortcuts use its default factor 0.01.
    if (value === 'l2') return { class_name: 'L1L2', config: { l1: 0, l2: 0.01 } };
    if (value === 'l1') return { class_name: 'L1L2', config: { l1: 0.01, l2: 0 } };
    if (value === 'l1_l2' || value === 'l1l2') return { class_name: 'L1L2', config: { l1: 0.01, l2: 0.01 } };
    throw new AppError('training', `${where}: the regularizer "${value}" is not one tfjs has`);
  }
  if (!isObject(value) || typeof value.class_name !== 'string') throw new AppError('training', `${where}: a regularizer is not a {"class_name", "config"} object`);
  const c = isObject(value.config) ? value.config : {};
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  switch (value.class_name) {
    case 'L2':
      return { class_name: 'L1L2', config: { l1: 0, l2: n(c.l2 ?? c.l) } };
    case 'L1':
      return { class_name: 'L1L2', config: { l1: n(c.l1 ?? c.l), l2: 0 } };
    case 'L1L2':
      return { class_name: 'L1L2', config: { l1: n(c.l1), l2: n(c.l2) } };
    default:
      throw new AppError('training', `${where}: the regularizer ${value.class_name} is not one tfjs has (L1, L2 and L1L2 are)`);
  }
}

function activation(value: unknown, where: string): unknown {
  if (value === null || value === undefined) return value;
  // Keras 3 may write a built-in activation as {"class_name": "function", "config": "relu"}.
  const name = typeof value === 'string' ? value : isObject(value) && typeof value.config === 'string' ? value.config : null;
  if (name === null) throw new AppError('training', `${where}: the activation ${JSON.stringify(value).slice(0, 80)} is not a built-in one`);
  const mapped = activationNames[name] ?? name;
  if (!tfjsActivations.has(mapped)) throw new AppError('training', `${where}: the activation "${name}" is not one tfjs has`);
  return mapped;
}

/** BatchNormalization's axis as tf.keras 2.x saves it once built (`[3]`) becomes the single axis tfjs wants. */
function batchNormAxis(axis: unknown, where: string): unknown {
  if (!Array.isArray(axis)) return axis;
  if (axis.length === 1 && Number.isInteger(axis[0])) return axis[0];
  throw new AppError('training', `${where}: BatchNormalization over several axes (${JSON.stringify(axis)}) is not supported by tfjs`);
}

/**
 * Inbound nodes in the 2.x list form `[[name, node, tensor, kwargs], …]`. Keras 3 writes each node as
 * `{"args": [...], "kwargs": {...}}` with `__keras_tensor__` objects whose `keras_history` is `[name, node, tensor]`.
 */
function inboundNodes(nodes: unknown, where: string): unknown[] {
  if (nodes === undefined || nodes === null) return [];
  if (!Array.isArray(nodes)) throw new AppError('training', `${where}: "inbound_nodes" is not a list`);
  return nodes.map((node) => {
    if (Array.isArray(node)) return node;
    if (!isObject(node)) throw new AppError('training', `${where}: an inbound node is not a list or an {"args", "kwargs"} object`);
    const tensors: unknown[][] = [];
    collectTensors(node.args, tensors);
    const kwargs = isObject(node.kwargs) ? node.kwargs : {};
    const extra: unknown[][] = [];
    collectTensors(kwargs, extra);
    if (extra.length) throw new AppError('training', `${where} takes a tensor as a keyword argument (such as initial_state or mask), which cannot be loaded here`);
    return tensors.map((t) => [...t, {}]);
  });
}

function collectTensors(value: unknown, into: unknown[][]): void {
  if (Array.isArray(value)) {
    for (const v of value) collectTensors(v, into);
    return;
  }
  if (!isObject(value)) return;
  if (value.class_name === '__keras_tensor__' && isObject(value.config) && Array.isArray(value.config.keras_history)) {
    into.push(value.config.keras_history.slice(0, 3));
    return;
  }
  for (const v of Object.values(value)) collectTensors(v, into);
}

/** Keras loss identifiers (functions, snake_case names, classes) and the manifest's name for each. */
const lossMap: Record<string, LossName> = {
  binary_crossentropy: 'binaryCrossentropy',
  binarycrossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  categoricalcrossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  sparsecategoricalcrossentropy: 'sparseCategoricalCrossentropy',
  mse: 'mse',
  mean_squared_error: 'mse',
  meansquarederror: 'mse',
  mae: 'mae',
  mean_absolute_error: 'mae',
  meanabsoluteerror: 'mae',
  huber: 'huber',
  huber_loss: 'huber',
};

/** The loss and metrics of a tf.keras `training_config` or a Keras 3 `compile_config`. */
export function declaredTraining(config: Json | null): DeclaredTraining | null {
  if (!config) return null;
  let loss = config.loss;
  if (isObject(loss) && !('class_name' in loss)) loss = Object.values(loss)[0]; // one loss per output: the first
  let fileLoss: string | undefined;
  let fromLogits: boolean | undefined;
  if (typeof loss === 'string') fileLoss = loss;
  else if (isObject(loss) && typeof loss.class_name === 'string') {
    // A custom loss function is written {"class_name": "function", "config": "<its name>"}.
    fileLoss = loss.class_name === 'function' && typeof loss.config === 'string' ? loss.config : loss.class_name;
    if (isObject(loss.config) && typeof loss.config.from_logits === 'boolean') fromLogits = loss.config.from_logits;
  }
  const metrics: string[] = [];
  collectMetricNames(config.metrics, metrics);
  const mapped = fileLoss === undefined ? undefined : lossMap[fileLoss.toLowerCase()];
  return {
    ...(mapped ? { loss: mapped } : {}),
    ...(fromLogits !== undefined ? { fromLogits } : {}),
    metrics,
    ...(fileLoss ? { fileLoss } : {}),
  };
}

function collectMetricNames(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) value.forEach((v) => collectMetricNames(v, into));
  else if (isObject(value)) {
    if (typeof value.class_name === 'string') into.push(isObject(value.config) && typeof value.config.name === 'string' ? value.config.name : value.class_name);
    else Object.values(value).forEach((v) => collectMetricNames(v, into));
  }
}
