// Checks a model file's inputs against the manifest's `data.inputs` before the model is fitted to the flat row:
// one entry per model input, in order, each giving as many columns as its input takes.
import { AppError } from '../../app-error.js';
import type { InputColumnsOfData } from '../portable/train-on-data.js';
import { isObject, layerName, type Json } from './topology.js';

/** The model's inputs (name and size, null when a length is open) of a normalized `{class_name, config}` topology. */
function modelInputs(topology: Json): { name: string; size: number | null }[] {
  const config = topology.config as Json;
  const layers = (Array.isArray(config.layers) ? config.layers : []) as Json[];
  if (topology.class_name === 'Sequential') return [{ name: layers[0] ? layerName(layers[0]) : 'input', size: null }];
  const list = Array.isArray(config.input_layers) ? (config.input_layers as unknown[]) : [];
  const items = list.length && !Array.isArray(list[0]) ? [list] : list;
  return items.flatMap((item) => {
    if (!Array.isArray(item) || typeof item[0] !== 'string') return [];
    const name = item[0];
    const layer = layers.find((l) => l.class_name === 'InputLayer' && layerName(l) === name);
    const shape = isObject(layer?.config) ? layer.config.batch_input_shape : undefined;
    const dims = Array.isArray(shape) ? shape.slice(1) : [];
    const size = dims.length && dims.every((d) => typeof d === 'number') ? (dims as number[]).reduce((a, b) => a * b, 1) : null;
    return [{ name, size }];
  });
}

/** Refuses in one line when `data.inputs` does not give one entry per model input, each of its input's size. */
export function matchInputColumns(topology: Json, expected: InputColumnsOfData, what: string): void {
  const inputs = modelInputs(topology);
  if (inputs.length !== expected.length) {
    throw new AppError(
      'training',
      `${what}: the model has ${inputs.length} input${inputs.length === 1 ? '' : 's'} (${inputs.map((i) => i.name).join(', ')}) but data.inputs has ${expected.length} entr${expected.length === 1 ? 'y' : 'ies'}; give one per model input, in order`,
    );
  }
  if (inputs.length === 1) return; // one input is reshaped to fit, or refused, by fitInput
  inputs.forEach((input, i) => {
    const entry = expected[i]!;
    if (input.size !== null && input.size !== entry.size) {
      throw new AppError('training', `${what}: ${entry.what} gives ${entry.size} columns but the model's input ${i + 1} ("${input.name}") takes ${input.size}`);
    }
  });
}
