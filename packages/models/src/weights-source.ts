import * as tf from '@tensorflow/tfjs-core';
import { ModelError } from './errors.js';

/** Where a model or its weights come from: a URL tfjs knows (or, in Node, a path), or a handler. */
export type ModelSource = string | tf.io.IOHandler;

/** Turns a string source into a handler; the browser and Node entries each have their own. */
export type ResolveLoadHandler = (source: string, argument: string) => tf.io.IOHandler;

/** tfjs's own routers: http(s)://, and in a browser indexeddb:// and localstorage://. */
export const browserLoadHandler: ResolveLoadHandler = (source, argument) => {
  const handlers = tf.io.getLoadHandlers(source);
  if (handlers.length === 0) {
    throw new ModelError(
      `${argument} is ${JSON.stringify(source)}; expected a URL tfjs can load from (http://, https://, indexeddb://, localstorage://) or a tf.io.IOHandler`,
      { source },
    );
  }
  return handlers[0];
};

/** A name for a source in messages. */
export function describeSource(source: ModelSource): string {
  return typeof source === 'string' ? source : 'the given IOHandler';
}
