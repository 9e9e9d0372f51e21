import type * as tfl from '@tensorflow/tfjs-layers';
import type { H5Group } from './h5-platform.js';
import { containerPaths } from './snake-case.js';
import { isGroup } from './weights-file.js';

type Layer = tfl.layers.Layer;

/**
 * The Keras version whose layout each writer follows, written where Keras's loaders look: they
 * branch on "1" (Keras 1's kernels) and on the backend "theano" (flipped kernels), and this data
 * is TensorFlow's channels-last layout.
 */
export const KERAS2_LAYOUT_VERSION = '2.15.0';
export const KERAS3_LAYOUT_VERSION = '3.6.0';

const keras2WeightName = (variable: tfl.LayerVariable) => `${variable.originalName}:0`;

async function values(layer: Layer): Promise<Float32Array[]> {
  return Promise.all(
    [...layer.trainableWeights, ...layer.nonTrainableWeights].map(
      async (variable) => (await variable.read().data()) as Float32Array,
    ),
  );
}

/** Reads every weight first (async), so that the HDF5 writing itself can be synchronous. */
export async function weightValues(model: tfl.LayersModel): Promise<Map<Layer, Float32Array[]>> {
  const out = new Map<Layer, Float32Array[]>();
  for (const layer of model.layers) out.set(layer, await values(layer));
  return out;
}

/**
 * Keras 2's `save_weights_to_hdf5_group`: `layer_names`, `backend` and `keras_version` on the
 * group, then one group a layer (created in name order, as Keras does) holding `weight_names` and
 * each weight at `<layer>/<weight>:0`, trainable weights first.
 */
export function writeKeras2Weights(
  group: H5Group,
  model: tfl.LayersModel,
  data: Map<Layer, Float32Array[]>,
) {
  let layers = model.layers;
  // Keras 2's Sequential.layers leaves out the InputLayer it made.
  if (model.getClassName() === 'Sequential' && layers[0]?.getClassName() === 'InputLayer') {
    layers = layers.slice(1);
  }
  group.create_attribute(
    'layer_names',
    layers.map((layer) => layer.name),
  );
  group.create_attribute('backend', 'tensorflow');
  group.create_attribute('keras_version', KERAS2_LAYOUT_VERSION);
  for (const layer of [...layers].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  )) {
    const layerGroup = group.create_group(layer.name);
    const variables = [...layer.trainableWeights, ...layer.nonTrainableWeights];
    const names = variables.map(keras2WeightName);
    if (names.length === 0) {
      layerGroup.create_attribute('weight_names', [], [0], 'S1');
      continue;
    }
    layerGroup.create_attribute('weight_names', names);
    const arrays = data.get(layer) ?? [];
    variables.forEach((variable, i) => {
      // h5py makes the groups of `conv2d/kernel:0` on the way; h5wasm needs them made first.
      const parts = (names[i] as string).split('/');
      const leaf = parts.pop() as string;
      let parent = layerGroup;
      for (const part of parts) {
        const existing = parent.get(part);
        parent = isGroup(existing) ? existing : parent.create_group(part);
      }
      parent.create_dataset({
        name: leaf,
        data: arrays[i] as Float32Array,
        shape: variable.shape as number[],
        dtype: '<f',
      });
    });
  }
}

/**
 * Keras 3's `model.weights.h5` (H5IOStore): an empty `vars` for the model itself and
 * `layers/<class path>/vars/<i>` for each layer, its variables in creation order.
 */
export function writeKeras3Weights(
  root: H5Group,
  model: tfl.LayersModel,
  data: Map<Layer, Float32Array[]>,
) {
  root.create_group('vars');
  const layersGroup = root.create_group('layers');
  let layers = model.layers;
  if (model.getClassName() === 'Sequential' && layers[0]?.getClassName() === 'InputLayer') {
    layers = layers.slice(1);
  }
  const paths = containerPaths(layers.map((layer) => layer.getClassName()));
  layers.forEach((layer, i) => {
    const vars = layersGroup.create_group(paths[i] as string).create_group('vars');
    const arrays = data.get(layer) ?? [];
    // Creation order is Keras 3's (`_trainable_variables + _non_trainable_variables` of layers
    // whose variables were all made trainable); tfjs's `weights` keeps it whatever is frozen.
    const byName = new Map(
      [...layer.trainableWeights, ...layer.nonTrainableWeights].map((v, k) => [v, arrays[k]]),
    );
    layer.weights.forEach((variable, k) => {
      vars.create_dataset({
        name: String(k),
        data: byName.get(variable) as Float32Array,
        shape: variable.shape as number[],
        dtype: '<f',
      });
    });
  });
}
