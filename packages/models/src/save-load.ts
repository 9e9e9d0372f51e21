import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ModelError, messageOf } from './errors.js';
import {
  browserLoadHandler,
  describeSource,
  type ModelSource,
  type ResolveLoadHandler,
} from './weights-source.js';

/** Where saveModel writes: a URL one of tfjs's handlers takes, a path in Node, or a handler. */
export type ModelDestination = string | tf.io.IOHandler;

/** Turns a string destination into a handler; the browser and Node entries each have their own. */
export type ResolveSaveHandler = (destination: string, argument: string) => tf.io.IOHandler;

/** tfjs's own routers: indexeddb://, localstorage://, downloads://, http(s):// (a POST). */
export const browserSaveHandler: ResolveSaveHandler = (destination, argument) => {
  const handlers = tf.io.getSaveHandlers(destination);
  if (handlers.length === 0) {
    throw new ModelError(
      `${argument} is ${JSON.stringify(destination)}; expected a URL tfjs can save to (indexeddb://, localstorage://, downloads://, http(s)://) or a tf.io.IOHandler`,
      { source: destination },
    );
  }
  return handlers[0];
};

export async function saveModelWith(
  model: tfl.LayersModel,
  destination: ModelDestination,
  config: tf.io.SaveConfig,
  resolve: ResolveSaveHandler,
): Promise<tf.io.SaveResult> {
  const handler =
    typeof destination === 'string' ? resolve(destination, 'destination') : destination;
  try {
    return await model.save(handler, config);
  } catch (error) {
    if (error instanceof ModelError) throw error;
    const where = describeSource(destination);
    throw new ModelError(`cannot save model "${model.name}" to ${where}: ${messageOf(error)}`, {
      source: where,
      cause: error,
    });
  }
}

export async function loadModelWith(
  source: ModelSource,
  options: tf.io.LoadOptions,
  resolve: ResolveLoadHandler,
): Promise<tfl.LayersModel> {
  const handler = typeof source === 'string' ? resolve(source, 'source') : source;
  try {
    return await tfl.loadLayersModel(handler, options);
  } catch (error) {
    if (error instanceof ModelError) throw error;
    const where = describeSource(source);
    throw new ModelError(`cannot load a Layers model from ${where}: ${messageOf(error)}`, {
      source: where,
      cause: error,
    });
  }
}

/**
 * Saves topology and weights with one of tfjs's handlers: `indexeddb://name`,
 * `localstorage://name`, `downloads://name` or an http(s) URL. The Node entry also takes a folder.
 * `{ includeOptimizer: true }` also keeps the compile settings and the optimizer's state.
 */
export function saveModel(
  model: tfl.LayersModel,
  destination: ModelDestination,
  config: tf.io.SaveConfig = {},
): Promise<tf.io.SaveResult> {
  return saveModelWith(model, destination, config, browserSaveHandler);
}

/** Loads a Layers model saved by saveModel (or written by tensorflowjs_converter) from a URL. */
export function loadModel(
  source: ModelSource,
  options: tf.io.LoadOptions = {},
): Promise<tfl.LayersModel> {
  return loadModelWith(source, options, browserLoadHandler);
}
