// Builders for Keras 3 functional configs (the `{"args", "kwargs"}` node form) written by tests, as Keras 3's
// `model.to_json()` would write them.

/** A Keras tensor in a node's args: the output of layer `name`. */
export const keras3Tensor = (name: string, node = 0) => ({ class_name: '__keras_tensor__', config: { shape: [null], dtype: 'float32', keras_history: [name, node, 0] } });

/** The dtype Keras 3 writes for a layer: a DTypePolicy object (current Keras), or a plain string (older 3.x). */
export const dtypePolicy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };

/** A layer of a functional config, fed by the named layers. */
export const keras3Layer = (class_name: string, name: string, config: Record<string, unknown>, inputs: string[], dtype: unknown = 'float32') => ({
  module: 'keras.layers',
  class_name,
  config: { name, trainable: true, dtype, ...config },
  registered_name: null,
  name,
  inbound_nodes: inputs.length ? [{ args: inputs.length === 1 ? [keras3Tensor(inputs[0]!)] : [inputs.map((i) => keras3Tensor(i))], kwargs: {} }] : [],
});

export const keras3Input = (name: string, shape: number[]) => ({
  module: 'keras.layers',
  class_name: 'InputLayer',
  config: { batch_shape: [null, ...shape], dtype: 'float32', sparse: false, name },
  registered_name: null,
  name,
  inbound_nodes: [],
});
