// A GRU layer with Keras's `reset_after=True` (the TF 2 default, so nearly every GRU saved since 2019), which
// tfjs-layers' GRU refuses. Same weights as Keras: kernel [in, 3u], recurrent_kernel [u, 3u], bias [2, 3u] (input
// bias, recurrent bias), gates in the order z, r, h; the reset gate applies after the recurrent matmul.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** The class name the Keras translator gives a GRU with reset_after (tfjs's own "GRU" keeps its meaning). */
export const GRU_RESET_AFTER_CLASS = 'ModelCommonsGRUResetAfter';

type Kwargs = Record<string, unknown>;
type Serialized = { className: string; config: Record<string, unknown> } | string | null | undefined;

const snakeToClass: Record<string, string> = {
  glorot_uniform: 'GlorotUniform', glorotUniform: 'GlorotUniform', glorot_normal: 'GlorotNormal', glorotNormal: 'GlorotNormal',
  he_uniform: 'HeUniform', he_normal: 'HeNormal', zeros: 'Zeros', ones: 'Ones', orthogonal: 'GlorotUniform',
};

/** A tfjs initializer/regularizer/constraint object from its serialized form, through tfjs's own class registry. */
function deserialize<T>(value: Serialized, fallback: string | null): T | undefined {
  const spec = value === null || value === undefined ? (fallback ? { className: fallback, config: {} } : null) : typeof value === 'string' ? { className: snakeToClass[value] ?? value, config: {} } : value;
  if (!spec) return undefined;
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[spec.className];
  if (!entry) throw new Error(`unknown class ${spec.className}`);
  const [ctor, fromConfig] = entry as unknown as [unknown, (c: unknown, config: unknown) => T];
  return fromConfig(ctor, spec.config ?? {});
}

type Activation = 'tanh' | 'sigmoid' | 'hard_sigmoid' | 'relu' | 'linear';
const activations: Record<Activation, (x: tf.Tensor) => tf.Tensor> = {
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  // tf.keras 2.x's hard sigmoid.
  hard_sigmoid: (x) => tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1),
  relu: (x) => tf.relu(x),
  linear: (x) => x,
};
function activationOf(name: unknown, fallback: Activation): (x: tf.Tensor) => tf.Tensor {
  const key = (typeof name === 'string' ? name.replace(/([A-Z])/g, '_$1').toLowerCase() : fallback) as Activation;
  const fn = activations[key];
  if (!fn) throw new Error(`the activation "${String(name)}" is not supported in a GRU with reset_after`);
  return fn;
}

export interface GruResetAfterArgs {
  units: number;
  activation?: string;
  recurrentActivation?: string;
  useBias?: boolean;
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  stateful?: boolean;
  dropout?: number;
  kernelInitializer?: Serialized;
  recurrentInitializer?: Serialized;
  biasInitializer?: Serialized;
  kernelRegularizer?: Serialized;
  recurrentRegularizer?: Serialized;
  biasRegularizer?: Serialized;
  name?: string;
  trainable?: boolean;
  dtype?: string;
  batchInputShape?: (number | null)[];
  inputShape?: (number | null)[];
  [key: string]: unknown;
}

export class GruResetAfter extends tfl.layers.Layer {
  static className = GRU_RESET_AFTER_CLASS;
  readonly units: number;
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  readonly dropout: number;
  readonly useBias: boolean;
  private readonly args: GruResetAfterArgs;
  private readonly act: (x: tf.Tensor) => tf.Tensor;
  private readonly recurrentAct: (x: tf.Tensor) => tf.Tensor;
  private kernel: tfl.LayerVariable | null = null;
  private recurrentKernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  constructor(args: GruResetAfterArgs) {
    super({
      ...(args.name ? { name: args.name } : {}),
      ...(args.trainable !== undefined ? { trainable: args.trainable } : {}),
      ...(args.batchInputShape ? { batchInputShape: args.batchInputShape } : {}),
      ...(args.inputShape ? { inputShape: args.inputShape } : {}),
    });
    if (args.returnState) throw new Error('return_state is not supported in a GRU with reset_after');
    if (args.stateful) throw new Error('stateful is not supported in a GRU with reset_after');
    this.args = args;
    this.units = args.units;
    this.returnSequences = args.returnSequences ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.dropout = Math.min(Math.max(args.dropout ?? 0, 0), 1);
    this.useBias = args.useBias ?? true;
    this.act = activationOf(args.activation, 'tanh');
    this.recurrentAct = activationOf(args.recurrentActivation, 'sigmoid');
    this.supportsMasking = true;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number | null)[];
    const inputDim = shape.at(-1);
    if (typeof inputDim !== 'number') throw new Error('a GRU needs a known feature size');
    const u = this.units;
    const a = this.args;
    this.kernel = this.addWeight('kernel', [inputDim, 3 * u], 'float32', deserialize(a.kernelInitializer, 'GlorotUniform'), deserialize(a.kernelRegularizer, null));
    this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 3 * u], 'float32', deserialize(a.recurrentInitializer, 'GlorotUniform'), deserialize(a.recurrentRegularizer, null));
    if (this.useBias) this.bias = this.addWeight('bias', [2, 3 * u], 'float32', deserialize(a.biasInitializer, 'Zeros'), deserialize(a.biasRegularizer, null));
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return this.returnSequences ? [shape[0]!, shape[1]!, this.units] : [shape[0]!, this.units];
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor {
    // tfjs types the result as a tensor; null (no mask downstream) is what it expects when there is none.
    return (this.returnSequences && mask ? (Array.isArray(mask) ? mask[0]! : mask) : null) as unknown as tf.Tensor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      let x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor3D;
      const maskIn = kwargs.mask as tf.Tensor | tf.Tensor[] | undefined;
      const mask = (Array.isArray(maskIn) ? maskIn[0] : maskIn) ?? null;
      const [batch, steps, features] = x.shape;
      const u = this.units;
      if (kwargs.training === true && this.dropout > 0) {
        // One dropout mask per sequence, shared by all steps (Keras's dropout of a recurrent layer's inputs).
        x = tf.dropout(x, this.dropout, [batch, 1, features]) as tf.Tensor3D;
      }
      const kernel = this.kernel!.read();
      const recurrent = this.recurrentKernel!.read();
      const bias = this.bias?.read() ?? null;
      const inputBias = bias ? tf.reshape(tf.slice(bias, [0, 0], [1, 3 * u]), [3 * u]) : null;
      const recurrentBias = bias ? tf.reshape(tf.slice(bias, [1, 0], [1, 3 * u]), [3 * u]) : null;
      // The input projection of every step in one matmul.
      let projected = tf.reshape(tf.matMul(tf.reshape(x, [batch * steps, features]), kernel), [batch, steps, 3 * u]);
      if (inputBias) projected = tf.add(projected, inputBias);
      const perStep = tf.unstack(projected, 1);
      const masks = mask ? tf.unstack(tf.cast(mask, 'float32'), 1) : null;
      const order = perStep.map((_, i) => i);
      if (this.goBackwards) order.reverse();
      let h: tf.Tensor = tf.zeros([batch, u]);
      const outputs: tf.Tensor[] = [];
      for (const t of order) {
        const [xz, xr, xh] = tf.split(perStep[t]!, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
        let rec = tf.matMul(h as tf.Tensor2D, recurrent);
        if (recurrentBias) rec = tf.add(rec, recurrentBias);
        const [rz, rr, rh] = tf.split(rec, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
        const z = this.recurrentAct(tf.add(xz, rz));
        const r = this.recurrentAct(tf.add(xr, rr));
        const candidate = this.act(tf.add(xh, tf.mul(r, rh)));
        let next = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
        if (masks) {
          // A masked step keeps the previous state, as Keras does.
          const m = tf.reshape(masks[t]!, [batch, 1]);
          next = tf.add(tf.mul(m, next), tf.mul(tf.sub(1, m), h));
        }
        h = next;
        outputs.push(h);
      }
      if (!this.returnSequences) return h;
      return tf.stack(outputs, 1);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const a = this.args;
    const base = super.getConfig();
    const config: tf.serialization.ConfigDict = {
      ...base,
      units: this.units,
      activation: a.activation ?? 'tanh',
      recurrentActivation: a.recurrentActivation ?? 'sigmoid',
      useBias: this.useBias,
      returnSequences: this.returnSequences,
      goBackwards: this.goBackwards,
      dropout: this.dropout,
      resetAfter: true,
    };
    for (const key of ['kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer'] as const) {
      if (a[key] !== undefined && a[key] !== null) config[key] = a[key] as tf.serialization.ConfigDictValue;
    }
    return config;
  }
}

tf.serialization.registerClass(GruResetAfter);
