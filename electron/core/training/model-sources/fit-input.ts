// Fits a model's input to the data, which always arrives flat (n rows × f features): a model taking [h, w, c] or
// [t, f] gets a Reshape from the flat vector in front when the sizes match, and an input of unknown length (an
// Embedding over [None]) takes the data's length. The model file is never asked to change.
import { AppError } from '../../app-error.js';
import { INPUT_COLUMNS_CLASS } from './input-columns.js';
import { layerName, type Json } from './topology.js';

type Shape = (number | null)[];

/** The name of the Reshape put in front of a model; never a name Keras gives. */
export const INPUT_RESHAPE_NAME = 'modelcommons_input_reshape';

/** The name of the one flat input of a several-input model. */
export const FLAT_INPUT_NAME = 'modelcommons_features';

export interface FittedInput {
  /** The model's own input shape (without the batch), before fitting. */
  readonly modelInput: Shape;
  /** The shape the flat features are reshaped to, when a Reshape was put in front. */
  readonly reshapedTo: number[] | null;
  /** For a model of several inputs: the columns of the flat row each input takes, in the model's input order. */
  readonly inputs?: readonly { readonly name: string; readonly begin: number; readonly size: number; readonly shape: number[] }[];
}

/**
 * Edits `topology` (a normalized `{class_name, config}`) in place so that it takes `inputSize` flat features.
 * A shape that cannot take them is left as it is: the planner says why in one line.
 */
export function fitInput(topology: Json, inputSize: number, what: string): FittedInput {
  const config = topology.config as Json;
  const layers = config.layers as Json[];
  if (topology.class_name === 'Sequential') {
    // The input is an InputLayer in front, or the first layer's batch_input_shape.
    const at = layers[0]!.class_name === 'InputLayer' ? 1 : 0;
    const head = layers[0]!.config as Json;
    const shape = batchShape(head.batch_input_shape);
    if (!shape) {
      // A Sequential model saved before it was built: it takes whatever the data has.
      head.batch_input_shape = [null, inputSize];
      return { modelInput: [inputSize], reshapedTo: null };
    }
    const dims = shape.slice(1);
    const target = fitted(dims, inputSize);
    if (target === 'as-is') {
      head.batch_input_shape = [null, ...dims.map((d) => d ?? inputSize)];
      return { modelInput: dims, reshapedTo: null };
    }
    if (!target) return { modelInput: dims, reshapedTo: null };
    const reshape: Json = { class_name: 'Reshape', config: { name: INPUT_RESHAPE_NAME, trainable: true, dtype: 'float32', target_shape: target } };
    if (at === 1) {
      head.batch_input_shape = [null, inputSize];
      const next = layers[1]?.config as Json | undefined;
      if (next) delete next.batch_input_shape; // tf.keras 2.x also wrote the input shape on the first real layer
    } else {
      delete head.batch_input_shape;
      delete head.input_shape;
      (reshape.config as Json).batch_input_shape = [null, inputSize];
    }
    layers.splice(at, 0, reshape);
    return { modelInput: dims, reshapedTo: target };
  }
  const inputs = inputNames(config.input_layers);
  if (inputs.length > 1) return splitColumns(topology, inputs, inputSize, what);
  if (inputs.length !== 1) return { modelInput: [], reshapedTo: null }; // the planner names the count
  const inputLayer = layers.find((l) => l.class_name === 'InputLayer' && layerName(l) === inputs[0]);
  if (!inputLayer) return { modelInput: [], reshapedTo: null };
  const inputConfig = inputLayer.config as Json;
  const shape = batchShape(inputConfig.batch_input_shape);
  if (!shape) throw new AppError('training', `${what}: the input "${inputs[0]}" has no batch_input_shape`);
  const dims = shape.slice(1);
  const target = fitted(dims, inputSize);
  if (target === 'as-is') {
    inputConfig.batch_input_shape = [null, ...dims.map((d) => d ?? inputSize)];
    return { modelInput: dims, reshapedTo: null };
  }
  if (!target) return { modelInput: dims, reshapedTo: null };
  inputConfig.batch_input_shape = [null, inputSize];
  const name = inputs[0]!;
  // Every layer that read the input now reads the Reshape of it.
  for (const layer of layers) {
    if (Array.isArray(layer.inbound_nodes)) layer.inbound_nodes = rename(layer.inbound_nodes, name, INPUT_RESHAPE_NAME);
  }
  layers.splice(layers.indexOf(inputLayer) + 1, 0, {
    class_name: 'Reshape',
    name: INPUT_RESHAPE_NAME,
    config: { name: INPUT_RESHAPE_NAME, trainable: true, dtype: 'float32', target_shape: target },
    inbound_nodes: [[[name, 0, 0, {}]]],
  });
  return { modelInput: dims, reshapedTo: target };
}

/**
 * A model of several inputs takes one flat row: each InputLayer becomes the slice of its columns (same name, so
 * nothing downstream changes), in the model's input order. Every input's size must be known and they must add up.
 */
function splitColumns(topology: Json, inputs: string[], inputSize: number, what: string): FittedInput {
  const config = topology.config as Json;
  const layers = config.layers as Json[];
  const sizes = inputs.map((name) => {
    const layer = layers.find((l) => l.class_name === 'InputLayer' && layerName(l) === name);
    const dims = batchShape((layer?.config as Json | undefined)?.batch_input_shape)?.slice(1);
    if (!layer || !dims || !dims.every((d): d is number => typeof d === 'number')) {
      throw new AppError('training', `${what}: the input "${name}" has no fixed shape; each input of a several-input model needs one`);
    }
    return { layer, name, dims, size: dims.reduce((a, b) => a * b, 1) };
  });
  const total = sizes.reduce((sum, i) => sum + i.size, 0);
  if (total !== inputSize) {
    throw new AppError(
      'training',
      `${what}: the model's ${inputs.length} inputs take ${sizes.map((i) => `${i.size} (${i.name})`).join(' + ')} = ${total} features but the data has ${inputSize} per row`,
    );
  }
  let begin = 0;
  const placed = sizes.map(({ layer, name, dims, size }) => {
    const at = layers.indexOf(layer);
    layers[at] = {
      class_name: INPUT_COLUMNS_CLASS,
      name,
      config: { name, trainable: false, dtype: 'float32', begin, size, target_shape: dims },
      inbound_nodes: [[[FLAT_INPUT_NAME, 0, 0, {}]]],
    };
    const slot = { name, begin, size, shape: dims };
    begin += size;
    return slot;
  });
  layers.unshift({
    class_name: 'InputLayer',
    name: FLAT_INPUT_NAME,
    config: { name: FLAT_INPUT_NAME, batch_input_shape: [null, inputSize], dtype: 'float32', sparse: false, ragged: false },
    inbound_nodes: [],
  });
  config.input_layers = [[FLAT_INPUT_NAME, 0, 0]];
  return { modelInput: [inputSize], reshapedTo: null, inputs: placed };
}

/** 'as-is' when the data fits the shape directly (filling one unknown length), the Reshape target, or null. */
function fitted(dims: Shape, inputSize: number): 'as-is' | number[] | null {
  if (dims.length === 1) return dims[0] === null || dims[0] === inputSize ? 'as-is' : null;
  if (!dims.every((d): d is number => typeof d === 'number')) return null;
  return dims.reduce((a, b) => a * b, 1) === inputSize ? dims : null;
}

function batchShape(v: unknown): Shape | null {
  return Array.isArray(v) && v.length >= 2 && v.every((d) => d === null || Number.isInteger(d)) ? (v as Shape) : null;
}

function inputNames(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const items = list.length && !Array.isArray(list[0]) ? [list] : list;
  return items.flatMap((item) => (Array.isArray(item) && typeof item[0] === 'string' ? [item[0]] : []));
}

function rename(value: unknown, from: string, to: string): unknown[] {
  return (value as unknown[]).map((v) => (Array.isArray(v) ? (v[0] === from && typeof v[1] === 'number' ? [to, ...v.slice(1)] : rename(v, from, to)) : v));
}
