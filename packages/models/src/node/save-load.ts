import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  type LoadWeightsByNameOptions,
  type LoadWeightsReport,
  loadWeightsByNameWith,
} from '../load-weights-by-name.js';
import { loadModelWith, type ModelDestination, saveModelWith } from '../save-load.js';
import { createVgg16, type Vgg16 } from '../vgg16.js';
import type { ModelSource } from '../weights-source.js';
import { loadKerasWeights } from './keras.js';
import { nodeLoadHandler, nodeSaveHandler } from './resolve.js';

/**
 * Saves a model into a folder (created if needed) as `model.json` + `weights.<sha256 prefix>.bin`
 * with one commit point, model.json renamed into place last: after a kill at any moment the
 * folder holds the old model or the new one, whole, and the next save removes what the killed one
 * left. Or to any URL tfjs can save to. No tfjs-node needed.
 * `{ includeOptimizer: true }` also keeps the compile settings and the optimizer's state.
 */
export function saveModel(
  model: tfl.LayersModel,
  destination: ModelDestination,
  config: tf.io.SaveConfig = {},
): Promise<tf.io.SaveResult> {
  return saveModelWith(model, destination, config, nodeSaveHandler);
}

/**
 * Loads a Layers model from a folder, a model.json path, or a URL tfjs can load from. In a folder
 * only what model.json names is read, and only from regular files inside the folder whose sizes
 * match the manifest.
 */
export function loadModel(
  source: ModelSource,
  options: tf.io.LoadOptions = {},
): Promise<tfl.LayersModel> {
  return loadModelWith(source, options, nodeLoadHandler);
}

/** loadWeightsByName, where a string may also be a folder or a model.json path. */
export function loadWeightsByName(
  model: tfl.LayersModel,
  source: ModelSource,
  options: LoadWeightsByNameOptions = {},
): Promise<LoadWeightsReport> {
  return loadWeightsByNameWith(model, source, options, nodeLoadHandler);
}

/** A path is a Keras file by its extension; anything else goes to tfjs's loaders. */
const isKerasPath = (source: unknown): source is string =>
  typeof source === 'string' &&
  /\.(h5|hdf5|keras)$/i.test(source) &&
  !/^[a-z][a-z0-9+.-]*:\/\//i.test(source);

/**
 * vgg16, where `weights` may also be a folder or a model.json path, or a Keras file's path
 * (Keras's `vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5` among them).
 */
export const vgg16: Vgg16 = createVgg16(nodeLoadHandler, (model, source, options) =>
  source instanceof Uint8Array || isKerasPath(source)
    ? loadKerasWeights(model, source, { requireAll: !options.skipMissing })
    : undefined,
);
