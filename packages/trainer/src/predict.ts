import type { Image } from '@cnnlab/core';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { TrainError } from './errors.js';
import { modelShape } from './model-shape.js';
import { checkRescale, prepareImages } from './prepare.js';
import { probabilities } from './probabilities.js';

export interface ClassProbability {
  class: number;
  probability: number;
}

export interface Prediction extends ClassProbability {
  /** The `topK` most likely classes, most likely first. */
  topK: ClassProbability[];
}

export interface PredictOptions {
  /** How many classes to list per sample. Default 3. */
  topK?: number;
  /** Samples per forward pass. Default 256. */
  batchSize?: number;
  /** Pixel factor, as train's `rescale`; default 1/255 for integer arrays, 1 for floats. */
  rescale?: number;
}

/**
 * Classifies a batch of images (`{ data, shape }` as the loaders give: integer pixels are scaled
 * by 1/255, floats taken as given; or a tensor already prepared): the likeliest class, its probability and the top k.
 */
export async function predict(
  model: tfl.LayersModel,
  images: Image | tf.Tensor,
  options: PredictOptions = {},
): Promise<Prediction[]> {
  const shape = modelShape(model);
  const k = Math.min(options.topK ?? 3, shape.classes);
  if (!Number.isInteger(k) || k < 1) {
    throw new TrainError(`topK is ${options.topK}; expected an integer >= 1`, 'topK');
  }
  checkRescale(options.rescale);
  const { xs, owned } = prepareImages(images, shape, [], options.rescale);
  try {
    const probs = await probabilities(model, xs, options.batchSize ?? 256);
    const n = xs.shape[0];
    const out: Prediction[] = [];
    for (let i = 0; i < n; i++) {
      const row = Array.from(
        probs.subarray(i * shape.classes, (i + 1) * shape.classes),
        (p, c) => ({
          class: c,
          probability: p,
        }),
      );
      row.sort((a, b) => b.probability - a.probability || a.class - b.class);
      out.push({ ...row[0], topK: row.slice(0, k) });
    }
    return out;
  } finally {
    if (owned) xs.dispose();
  }
}
