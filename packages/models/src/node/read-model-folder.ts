import type * as tf from '@tensorflow/tfjs-core';
import { readModelJson } from './read-model-json.js';
import { readWeights } from './read-weights.js';

/** A model folder as read: its model.json, and the weights its manifest names (if any). */
export interface ModelFolder {
  json: tf.io.ModelJSON;
  weights?: [tf.io.WeightsManifestEntry[], ArrayBuffer];
}

/** Reads of model.json at most, when saves keep replacing it under a reader. */
const RETRIES = 3;

const named = (json: tf.io.ModelJSON) =>
  JSON.stringify((json.weightsManifest ?? []).map((group) => group?.paths));

async function weightsOf(jsonPath: string, json: tf.io.ModelJSON): Promise<ModelFolder> {
  if (json.weightsManifest == null) return { json };
  return { json, weights: await readWeights(jsonPath, json.weightsManifest) };
}

/**
 * Reads the model.json at `jsonPath` and the weights it names, all checked (see readModelJson
 * and readWeights). A save that commits between the two reads removes the weights the first
 * model.json named: then the new model.json is read again (up to 3 tries in all), so a reader
 * racing saves gets the old model or the new one rather than an error.
 */
export async function readModelFolder(jsonPath: string): Promise<ModelFolder> {
  let json = await readModelJson(jsonPath);
  for (let attempt = 1; ; attempt++) {
    try {
      return await weightsOf(jsonPath, json);
    } catch (error) {
      const missing = (error as { cause?: NodeJS.ErrnoException }).cause?.code === 'ENOENT';
      const now =
        missing && attempt < RETRIES ? await readModelJson(jsonPath).catch(() => json) : json;
      if (named(now) === named(json)) throw error;
      json = now;
    }
  }
}
