// One input of a several-input model, cut from the flat feature row: columns [begin, begin + size) reshaped to the
// input's shape. It stands in for the model's InputLayer (same name), so the data stays one flat matrix whose
// columns are the inputs' features side by side, in the model's input order.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export const INPUT_COLUMNS_CLASS = 'ModelCommonsInputColumns';

export interface InputColumnsArgs {
  begin: number;
  size: number;
  targetShape: number[];
  name?: string;
  [key: string]: unknown;
}

export class InputColumns extends tfl.layers.Layer {
  static className = INPUT_COLUMNS_CLASS;
  readonly begin: number;
  readonly size: number;
  readonly targetShape: number[];

  constructor(args: InputColumnsArgs) {
    super(args.name ? { name: args.name } : {});
    this.begin = args.begin;
    this.size = args.size;
    this.targetShape = args.targetShape;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [shape[0]!, ...this.targetShape];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor2D;
      return tf.reshape(tf.slice(x, [0, this.begin], [-1, this.size]), [-1, ...this.targetShape]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), begin: this.begin, size: this.size, targetShape: this.targetShape };
  }
}

tf.serialization.registerClass(InputColumns);
