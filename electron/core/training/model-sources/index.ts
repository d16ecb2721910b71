// Builds the model of a manifest that declares it by file: a Keras model ("keras": a topology JSON with fresh seeded
// weights, or a .keras archive / .h5 with its weights kept) or a tfjs LayersModel ("tfjs", its weights kept). Nothing from the project is ever run as code: the
// files are JSON and raw float data, checked (paths, sizes, classes, shapes, parameter budget) before tfjs sees them.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Manifest } from '../../../../shared/manifest.js';
import { AppError } from '../../app-error.js';
import { resolveInsideRepo } from '../../safe-path.js';
import { MAX_PARAMETERS, compileForTask, tooManyParameters } from '../portable/build-model.js';
import { fitInput, type FittedInput } from './fit-input.js';
import { normalizeKeras, type DeclaredTraining } from './keras-config.js';
import { assignH5Weights, assignKeras3Weights, MAX_WEIGHTS_FILE_BYTES, readH5Config, readKerasArchive } from './keras-weights.js';
import type { InputColumnsOfData } from '../portable/train-on-data.js';
import { matchInputColumns } from './match-inputs.js';
import { checkDepth, firstLine, isObject, planTopology, type Json, type TopologyPlan } from './topology.js';

export { SUPPORTED_KERAS } from './topology.js';

/** Largest topology file (Keras JSON or tfjs model.json) read. */
export const MAX_TOPOLOGY_BYTES = 5 * 1024 * 1024;
/** Largest total of a tfjs model's weight files: the parameter budget in float32, plus a little. */
export const MAX_WEIGHT_BYTES = MAX_PARAMETERS * 4 + 1024 * 1024;

export interface LoadedModel {
  readonly model: tfl.LayersModel;
  readonly parameters: number;
  /** The loss and metrics the file was compiled with (tf.keras training_config, Keras 3 compile_config), if any. */
  readonly declared: DeclaredTraining | null;
  /** The model's input shape when the flat features are reshaped to it (a Reshape in front of the file's model). */
  readonly reshapedTo: number[] | null;
  /** A model of several inputs: the columns of the flat row each input takes, in the model's input order. */
  readonly inputs?: FittedInput['inputs'];
  /** The file carried trained weights (a .keras archive with weights, an .h5, a tfjs model.json), not a topology alone. */
  readonly shippedWeights: boolean;
}

/**
 * Loads and compiles the model a manifest names by file (`model.keras` or `model.tfjs`). The model must take
 * `inputSize` features and give `numClasses` outputs (1 for regression); its parameters are counted from the
 * topology before any weight exists. With `data.inputs`, `expectedInputs` gives each entry's columns: the model's inputs
 * must match them one for one, in order.
 */
export async function loadModelSource(
  repoDir: string,
  manifest: Manifest,
  inputSize: number,
  numClasses: number | null,
  expectedInputs?: InputColumnsOfData,
): Promise<LoadedModel> {
  const outputUnits = numClasses ?? 1;
  let loaded: Omit<LoadedModel, 'parameters'>;
  if (manifest.model.keras !== undefined) {
    loaded = await loadKeras(repoDir, manifest.model.keras, manifest.training.seed, inputSize, outputUnits, manifest.task, expectedInputs);
  } else if (manifest.model.tfjs !== undefined) {
    loaded = await loadTfjs(repoDir, manifest.model.tfjs, inputSize, outputUnits, manifest.task, expectedInputs);
  } else {
    throw new AppError('training', 'This manifest declares its model by "layers"; there is no model file to load');
  }
  const { model } = loaded;
  const parameters = model.countParams();
  if (parameters > MAX_PARAMETERS) {
    model.dispose();
    throw tooManyParameters(parameters);
  }
  compileForTask(model, manifest);
  return { ...loaded, parameters };
}

interface PreparedTopology {
  readonly plan: TopologyPlan;
  readonly declared: DeclaredTraining | null;
  readonly reshapedTo: number[] | null;
  readonly inputs?: FittedInput['inputs'];
}

/** Any saved Keras config → the tf.keras 2.x form, fitted to the flat data, checked and counted. */
function prepareTopology(raw: unknown, what: string, inputSize: number, outputUnits: number, task: string, expectedInputs?: InputColumnsOfData): PreparedTopology {
  checkDepth(raw, what);
  const normalized = normalizeKeras(raw, what);
  if (expectedInputs) matchInputColumns(normalized.topology, expectedInputs, what);
  const { reshapedTo, inputs } = fitInput(normalized.topology, inputSize, what);
  const plan = planTopology(normalized.topology, what, inputSize, outputUnits, task);
  return { plan, declared: normalized.declared, reshapedTo, ...(inputs ? { inputs } : {}) };
}

async function loadKeras(
  repoDir: string,
  relative: string,
  seed: number,
  inputSize: number,
  outputUnits: number,
  task: string,
  expectedInputs?: InputColumnsOfData,
): Promise<Omit<LoadedModel, 'parameters'>> {
  const what = `model.keras "${relative}"`;
  const source = await readKerasFile(repoDir, relative, what);
  const { plan, declared, reshapedTo, inputs } = prepareTopology(source.topology, what, inputSize, outputUnits, task, expectedInputs);
  // Seeded initial weights (and no Orthogonal, which tfjs cannot draw in Node); weights the file ships then
  // replace them, and training fine-tunes those.
  plan.layers.forEach((layer, i) => seedLayer(layer.config as Json, seed + 1000 * i));
  let model: tfl.LayersModel;
  try {
    model = await tfl.models.modelFromJSON({ modelTopology: plan.model as never });
  } catch (err) {
    throw new AppError('training', `${what}: tfjs could not build the model: ${firstLine(err)}`);
  }
  try {
    await source.weights?.(model);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return { model, declared, reshapedTo, ...(inputs ? { inputs } : {}), shippedWeights: source.weights !== null };
}

interface KerasFile {
  readonly topology: unknown;
  /** Sets the shipped weights on a model built from `topology`; null for a topology-only JSON. */
  readonly weights: ((model: tfl.LayersModel) => Promise<void>) | null;
}

/** A Keras topology JSON, a Keras 3 .keras archive, or a Keras .h5 (full model), by its first bytes. */
async function readKerasFile(repoDir: string, relative: string, what: string): Promise<KerasFile> {
  const file = resolveInsideRepo(repoDir, relative, 'model.keras');
  const stat = fs.statSync(file);
  if (!stat.isFile()) throw new AppError('training', `${what} is not a file`);
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  const binary = head.equals(Buffer.from('PK\x03\x04', 'latin1')) || head.equals(Buffer.from('\x89HDF', 'latin1'));
  const limit = binary ? MAX_WEIGHTS_FILE_BYTES : MAX_TOPOLOGY_BYTES;
  if (stat.size > limit) throw new AppError('training', `${what} is ${stat.size.toLocaleString('en')} bytes; the limit is ${limit.toLocaleString('en')}`);
  if (head.equals(Buffer.from('PK\x03\x04', 'latin1'))) {
    const archive = readKerasArchive(fs.readFileSync(file), what);
    const weights = archive.weights;
    return { topology: archive.config, weights: weights ? (model) => assignKeras3Weights(model, weights, what) : null };
  }
  if (head.equals(Buffer.from('\x89HDF', 'latin1'))) {
    return { topology: await readH5Config(file, what), weights: (model) => assignH5Weights(model, file, what) };
  }
  return { topology: readJson(repoDir, relative, 'model.keras', what), weights: null };
}

async function loadTfjs(
  repoDir: string,
  relative: string,
  inputSize: number,
  outputUnits: number,
  task: string,
  expectedInputs?: InputColumnsOfData,
): Promise<Omit<LoadedModel, 'parameters'>> {
  const what = `model.tfjs "${relative}"`;
  const json = readJson(repoDir, relative, 'model.tfjs', what);
  if (!isObject(json)) throw new AppError('training', `${what}: not a tfjs model.json (expected a JSON object)`);
  if (json.format !== undefined && json.format !== 'layers-model') {
    throw new AppError('training', `${what}: the format is ${JSON.stringify(json.format)}; only a tfjs "layers-model" can be trained`);
  }
  if (!isObject(json.modelTopology)) throw new AppError('training', `${what}: no "modelTopology"; is it a tfjs LayersModel model.json?`);
  const { plan, declared: compiled, reshapedTo, inputs } = prepareTopology(json.modelTopology, what, inputSize, outputUnits, task, expectedInputs);

  const groups = json.weightsManifest;
  if (!Array.isArray(groups)) throw new AppError('training', `${what}: no "weightsManifest" (the model's weights)`);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const files: { path: string; bytes: number }[] = [];
  const modelDir = path.dirname(relative);
  for (const group of groups) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new AppError('training', `${what}: every weightsManifest entry needs "paths" and "weights"`);
    }
    for (const p of group.paths) files.push(resolveWeightsFile(repoDir, modelDir, p, what));
    for (const w of group.weights) specs.push(checkSpec(w, what));
  }
  const declared = specs.reduce((sum, s) => sum + specBytes(s), 0);
  const actual = files.reduce((sum, f) => sum + f.bytes, 0);
  if (actual > MAX_WEIGHT_BYTES) {
    throw new AppError('training', `${what}: the weight files hold ${actual.toLocaleString('en')} bytes; the limit is ${MAX_WEIGHT_BYTES.toLocaleString('en')}`);
  }
  if (actual !== declared) {
    throw new AppError('training', `${what}: the weight files hold ${actual.toLocaleString('en')} bytes but the weightsManifest describes ${declared.toLocaleString('en')}`);
  }
  const buffer = new ArrayBuffer(actual);
  const data = new Uint8Array(buffer);
  let offset = 0;
  for (const f of files) {
    const bytes = fs.readFileSync(f.path);
    if (bytes.length !== f.bytes) throw new AppError('training', `${what}: a weight file changed while it was read`);
    data.set(bytes, offset);
    offset += bytes.length;
  }
  // The training config (the optimizer it was trained with) is left out: the manifest's optimizer is used.
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: plan.model,
    format: 'layers-model',
    weightSpecs: specs,
    weightData: buffer,
  };
  try {
    const model = await tfl.loadLayersModel(tf.io.fromMemory(artifacts), { strict: true });
    return { model, declared: compiled, reshapedTo, ...(inputs ? { inputs } : {}), shippedWeights: true };
  } catch (err) {
    throw new AppError('training', `${what}: tfjs could not load the model: ${firstLine(err)}`);
  }
}

function readJson(repoDir: string, relative: string, key: string, what: string): unknown {
  const file = resolveInsideRepo(repoDir, relative, key);
  const stat = fs.statSync(file);
  if (!stat.isFile()) throw new AppError('training', `${what} is not a file`);
  const size = stat.size;
  if (size > MAX_TOPOLOGY_BYTES) {
    throw new AppError('training', `${what} is ${size.toLocaleString('en')} bytes; the limit is ${MAX_TOPOLOGY_BYTES.toLocaleString('en')}`);
  }
  const bytes = fs.readFileSync(file);
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
    throw new AppError('training', `${what} is a .keras archive; name it under model.keras, not model.tfjs`);
  }
  if (bytes.subarray(0, 4).equals(Buffer.from('\x89HDF', 'latin1'))) {
    throw new AppError('training', `${what} is an HDF5 (.h5) file; name it under model.keras, not model.tfjs`);
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new AppError('training', `${what} is not valid JSON: ${firstLine(err)}`);
  }
}

function resolveWeightsFile(repoDir: string, modelDir: string, p: unknown, what: string): { path: string; bytes: number } {
  if (typeof p !== 'string' || !p) throw new AppError('training', `${what}: a weightsManifest path is not a string`);
  if (path.isAbsolute(p) || /^[a-zA-Z]:[\\/]/.test(p) || /^[a-zA-Z][\w+.-]*:/.test(p)) {
    throw new AppError('invalid-request', `${what}: the weights path "${p}" is absolute or a URL; only files inside the project are read`);
  }
  let file: string;
  try {
    file = resolveInsideRepo(repoDir, path.join(modelDir, p), 'weights file');
  } catch (err) {
    if (err instanceof AppError) throw new AppError(err.kind, `${what}: ${err.message}`);
    throw err;
  }
  const stat = fs.statSync(file);
  if (!stat.isFile()) throw new AppError('training', `${what}: the weights path "${p}" is not a file`);
  return { path: file, bytes: stat.size };
}

const dtypeBytes: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
const quantizedBytes: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

function checkSpec(w: unknown, what: string): tf.io.WeightsManifestEntry {
  const bad = (why: string) => new AppError('training', `${what}: a weightsManifest weight ${why}`);
  if (!isObject(w) || typeof w.name !== 'string') throw bad('has no name');
  if (!Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) throw bad(`("${w.name}") has no valid shape`);
  if (typeof w.dtype !== 'string' || !(w.dtype in dtypeBytes)) throw bad(`("${w.name}") has the unsupported dtype ${JSON.stringify(w.dtype)}`);
  if (w.quantization !== undefined) {
    const q = w.quantization;
    if (!isObject(q) || typeof q.dtype !== 'string' || !(q.dtype in quantizedBytes)) throw bad(`("${w.name}") has an unsupported quantization`);
  }
  const size = (w.shape as number[]).reduce((a, b) => a * b, 1);
  if (size > MAX_PARAMETERS) throw tooManyParameters(size);
  return w as unknown as tf.io.WeightsManifestEntry;
}

function specBytes(s: tf.io.WeightsManifestEntry): number {
  const size = s.shape.reduce((a, b) => a * b, 1);
  return size * (s.quantization ? quantizedBytes[s.quantization.dtype]! : dtypeBytes[s.dtype]!);
}

/** Initializer classes tfjs draws from a seeded generator. */
const seeded = new Set([
  'GlorotUniform', 'GlorotNormal', 'HeNormal', 'HeUniform', 'LeCunNormal', 'LeCunUniform', 'RandomNormal', 'RandomUniform',
  'TruncatedNormal', 'VarianceScaling',
]);
/** Keras names tfjs spells differently, and Orthogonal, which tfjs cannot run in Node (seeded glorotUniform instead). */
const renamed: Record<string, string> = { LecunNormal: 'LeCunNormal', LecunUniform: 'LeCunUniform', Orthogonal: 'GlorotUniform' };

/**
 * Makes a layer's fresh weights a function of the manifest's seed: every random initializer (and dropout) gets
 * `base + k`, whatever seed the file had (tfjs cannot reproduce TensorFlow's draws anyway).
 */
function seedLayer(config: Json, base: number): void {
  let k = 0;
  for (const [key, value] of Object.entries(config).sort(([a], [b]) => a.localeCompare(b))) {
    if (key.endsWith('_initializer') && isObject(value) && typeof value.class_name === 'string') {
      const cls = renamed[value.class_name] ?? value.class_name;
      if (cls !== value.class_name) value.config = {};
      value.class_name = cls;
      if (seeded.has(cls)) value.config = { ...(isObject(value.config) ? value.config : {}), seed: base + ++k };
    } else if (key === 'layer' && isObject(value) && isObject(value.config)) {
      seedLayer(value.config, base + 100); // a wrapper's inner layer
    } else if (key === 'seed') {
      config.seed = base;
    }
  }
}
