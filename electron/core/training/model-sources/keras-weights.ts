// Reads Keras model files as shipped, weights included: a Keras 3 `.keras` archive (zip of config.json,
// model.weights.h5, metadata.json; variables at layers/<snake_case class>/…/vars/<i>) and a Keras `.h5` (attribute
// model_config, groups model_weights/<layer>/ listed by weight_names). HDF5 is read by h5wasm (libhdf5 in
// WebAssembly), zip by fflate; every size is checked against the parameter budget before anything is inflated.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { unzipSync } from 'fflate';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../app-error.js';
import { MAX_PARAMETERS } from '../portable/build-model.js';
import { GRU_RESET_AFTER_CLASS } from './gru-reset-after.js';
import { firstLine } from './topology.js';

/** A .keras archive holds 3 entries; a few more (assets) are tolerated, not hundreds. */
const MAX_ARCHIVE_ENTRIES = 16;
/** model.weights.h5 holds the weights and, when saved after training, the optimizer's slots (Adam: 2 per weight). */
export const MAX_WEIGHTS_FILE_BYTES = MAX_PARAMETERS * 4 * 3 + 4 * 1024 * 1024;
const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

export interface KerasArchive {
  readonly config: unknown;
  readonly weights: Uint8Array | null;
}

/** Unzips a .keras archive after checking its directory: entry count and declared sizes, before inflating. */
export function readKerasArchive(bytes: Uint8Array, what: string): KerasArchive {
  const entries: { name: string; size: number }[] = [];
  try {
    unzipSync(bytes, {
      filter: (f) => {
        entries.push({ name: f.name, size: f.originalSize });
        return false;
      },
    });
  } catch (err) {
    throw new AppError('training', `${what} is not a readable .keras archive: ${firstLine(err)}`);
  }
  if (entries.length > MAX_ARCHIVE_ENTRIES) throw new AppError('training', `${what}: the archive has ${entries.length} entries; a .keras archive has 3`);
  const config = entries.find((e) => e.name === 'config.json');
  if (!config) throw new AppError('training', `${what}: the archive has no config.json; is it a Keras 3 .keras file?`);
  const limits: Record<string, number> = { 'config.json': MAX_CONFIG_BYTES, 'model.weights.h5': MAX_WEIGHTS_FILE_BYTES, 'metadata.json': 64 * 1024 };
  for (const e of entries) {
    const limit = limits[e.name];
    if (limit !== undefined && e.size > limit) {
      throw new AppError('training', `${what}: ${e.name} would inflate to ${e.size.toLocaleString('en')} bytes; the limit is ${limit.toLocaleString('en')}`);
    }
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => f.name === 'config.json' || f.name === 'model.weights.h5' });
  } catch (err) {
    throw new AppError('training', `${what} is not a readable .keras archive: ${firstLine(err)}`);
  }
  for (const [name, data] of Object.entries(files)) {
    const declared = entries.find((e) => e.name === name)!.size;
    if (data.length !== declared) throw new AppError('training', `${what}: ${name} inflated to ${data.length} bytes, not the ${declared} its header says`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(files['config.json']));
  } catch (err) {
    throw new AppError('training', `${what}: config.json is not valid JSON: ${firstLine(err)}`);
  }
  return { config: parsed, weights: files['model.weights.h5'] ?? null };
}

type H5 = typeof import('h5wasm/node');
type H5File = InstanceType<H5['File']>;
type H5Group = InstanceType<H5['Group']>;
type H5Dataset = InstanceType<H5['Dataset']>;
let h5: Promise<H5['default']> | null = null;

async function h5wasm(): Promise<H5['default']> {
  h5 ??= import('h5wasm/node').then(async (m) => {
    await m.default.ready;
    return m.default;
  });
  return h5;
}

/** Opens an HDF5 file read-only for `use`, then closes it. */
async function withH5<T>(file: string, what: string, use: (f: H5File) => T): Promise<T> {
  const lib = await h5wasm();
  let f: H5File;
  try {
    f = new lib.File(file, 'r');
  } catch (err) {
    throw new AppError('training', `${what} is not a readable HDF5 file: ${firstLine(err)}`);
  }
  try {
    return use(f);
  } finally {
    f.close();
  }
}

/** HDF5 needs a file: archive bytes go to a private temp file for the time of the read. */
async function withTempFile<T>(bytes: Uint8Array, use: (file: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-keras-'));
  const file = path.join(dir, 'model.weights.h5');
  try {
    fs.writeFileSync(file, bytes, { mode: 0o600 });
    return await use(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A Keras .h5's model config (and training config), as the attributes tf.keras writes. */
export async function readH5Config(file: string, what: string): Promise<{ model_config: unknown; training_config?: unknown; keras_version?: string }> {
  const size = fs.statSync(file).size;
  if (size > MAX_WEIGHTS_FILE_BYTES) throw new AppError('training', `${what} is ${size.toLocaleString('en')} bytes; the limit is ${MAX_WEIGHTS_FILE_BYTES.toLocaleString('en')}`);
  return withH5(file, what, (f) => {
    const attr = (name: string) => {
      const v = f.attrs[name]?.value;
      return typeof v === 'string' ? v : null;
    };
    const config = attr('model_config');
    if (config === null) throw new AppError('training', `${what} holds weights only (no model_config); give the model's topology JSON instead`);
    const parse = (text: string, key: string) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        throw new AppError('training', `${what}: the ${key} attribute is not valid JSON: ${firstLine(err)}`);
      }
    };
    const training = attr('training_config');
    const version = attr('keras_version');
    return { model_config: parse(config, 'model_config'), ...(training ? { training_config: parse(training, 'training_config') } : {}), ...(version ? { keras_version: version } : {}) };
  });
}

/** Keras's `to_snake_case`, which names a layer's group in a Keras 3 weights file. */
export function snakeCase(name: string): string {
  return name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Keras 3 class names of the layers tfjs builds under other names. */
const kerasClassOf: Record<string, string> = { [GRU_RESET_AFTER_CLASS]: 'GRU' };

/** Sets the weights of a model built from a .keras archive's config from its model.weights.h5 bytes. */
export async function assignKeras3Weights(model: tfl.LayersModel, bytes: Uint8Array, what: string): Promise<void> {
  await withTempFile(bytes, (file) =>
    withH5(file, what, (f) => {
      const layersGroup = f.get('layers') as H5Group | null;
      if (!layersGroup || typeof layersGroup.keys !== 'function') throw new AppError('training', `${what}: model.weights.h5 has no "layers" group`);
      // Keras 3 names each layer's group after its class, numbered in the model's layer order (dense, dense_1, …).
      const used = new Map<string, number>();
      for (const layer of model.layers) {
        const base = snakeCase(kerasClassOf[layer.getClassName()] ?? layer.getClassName());
        const n = used.get(base);
        used.set(base, (n ?? -1) + 1);
        const key = n === undefined ? base : `${base}_${n + 1}`;
        if (layer.weights.length === 0) continue;
        const group = layersGroup.get(key) as H5Group | null;
        if (!group || typeof group.keys !== 'function') throw new AppError('training', `${what}: model.weights.h5 has no weights for layer "${layer.name}" (layers/${key})`);
        setLayerWeights(layer, variablesOf(group, `layers/${key}`), what);
      }
    }),
  );
}

/** A group's variables in layer order: its own vars/<i>, then its sublayers' (forward before backward). */
function variablesOf(group: H5Group, at: string): { path: string; data: H5Dataset }[] {
  const out: { path: string; data: H5Dataset }[] = [];
  const rank = (k: string) => (k === 'vars' ? 0 : k === 'forward_layer' ? 1 : k === 'backward_layer' ? 2 : 3);
  const keys = group.keys().sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const k of keys) {
    const child = group.get(k);
    if (!child) continue;
    if (k === 'vars' && typeof (child as H5Group).keys === 'function') {
      const vars = child as H5Group;
      for (const i of vars.keys().sort((a, b) => Number(a) - Number(b))) out.push({ path: `${at}/vars/${i}`, data: vars.get(i) as H5Dataset });
    } else if (typeof (child as H5Group).keys === 'function') {
      out.push(...variablesOf(child as H5Group, `${at}/${k}`));
    }
  }
  return out;
}

/** Sets the weights of a model built from a Keras .h5's model_config from its model_weights groups. */
export async function assignH5Weights(model: tfl.LayersModel, file: string, what: string): Promise<void> {
  await withH5(file, what, (f) => {
    const root = (f.get('model_weights') as H5Group | null) ?? (f as unknown as H5Group);
    for (const layer of model.layers) {
      if (layer.weights.length === 0) continue;
      const group = root.get(layer.name) as H5Group | null;
      if (!group || typeof group.keys !== 'function') throw new AppError('training', `${what}: no weights for layer "${layer.name}" in model_weights`);
      const names = group.attrs.weight_names?.value;
      const list = Array.isArray(names) ? names.map(String) : typeof names === 'string' ? [names] : [];
      setLayerWeights(layer, list.map((n) => ({ path: `model_weights/${layer.name}/${n}`, data: group.get(n) as H5Dataset })), what);
    }
  });
}

function setLayerWeights(layer: tfl.layers.Layer, vars: { path: string; data: H5Dataset | null }[], what: string): void {
  const wanted = layer.weights;
  if (vars.length !== wanted.length) {
    throw new AppError('training', `${what}: layer "${layer.name}" has ${wanted.length} weights but the file holds ${vars.length}`);
  }
  const tensors = vars.map((v, i) => {
    const shape = wanted[i]!.shape as number[];
    const got = v.data?.shape ?? null;
    // Shapes are compared before a value is read, so a mislabelled dataset never allocates.
    if (!got || got.length !== shape.length || got.some((d, k) => d !== shape[k])) {
      throw new AppError('training', `${what}: ${v.path} has shape [${got?.join(', ') ?? '?'}] but layer "${layer.name}" needs [${shape.join(', ')}]`);
    }
    const value = v.data!.value;
    if (!(value instanceof Float32Array || value instanceof Float64Array)) throw new AppError('training', `${what}: ${v.path} is not a float array`);
    return tf.tensor(value instanceof Float32Array ? value : Float32Array.from(value), shape);
  });
  layer.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
}
