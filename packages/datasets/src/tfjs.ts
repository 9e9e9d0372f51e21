/**
 * Tensors from the datasets' typed arrays. This entry point needs `@tensorflow/tfjs-core` (a peer
 * dependency, installed by the app with `@tensorflow/tfjs`); the rest of the package does not.
 */

import type { Image, LabeledImages, TypedArray } from '@cnnlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { DatasetError } from './errors.js';
import { normalize } from './normalize.js';
import { flatten, withChannels } from './reshape.js';
import { toCategorical } from './to-categorical.js';

export interface ToTensorsOptions {
  /** Width of the one-hot labels; default the largest label plus one. */
  numClasses?: number;
  /** 'image' gives xs `[n, h, w, c]` for a CNN (default); 'flat' gives `[n, h·w·c]` for a Dense net. */
  layout?: 'image' | 'flat';
  /** Divide pixels by this (default 255, giving [0, 1]). */
  scale?: number;
}

/** Float32 image tensor, normalised, in the layout a model's input wants. */
export function imagesToTensor(
  images: Image<TypedArray>,
  options: Pick<ToTensorsOptions, 'layout' | 'scale'> = {},
): tf.Tensor {
  const scaled = normalize(images, { scale: options.scale });
  const shaped = options.layout === 'flat' ? flatten(scaled) : withChannels(scaled);
  return tf.tensor(shaped.data, shaped.shape, 'float32');
}

/** One-hot float32 label tensor `[n, k]`. */
export function labelsToTensor(labels: ArrayLike<number>, numClasses?: number): tf.Tensor2D {
  const onehot = toCategorical(labels, numClasses);
  return tf.tensor2d(onehot.data, onehot.shape as [number, number], 'float32');
}

/**
 * A loader's split as the `{ xs, ys }` pair `model.fit` takes: images normalised to [0, 1] and
 * shaped for the model, labels one-hot. The caller disposes the tensors.
 */
export function toTensors(
  split: LabeledImages<TypedArray>,
  options: ToTensorsOptions = {},
): { xs: tf.Tensor; ys: tf.Tensor2D } {
  if (split.images.shape[0] !== split.labels.length) {
    throw new DatasetError(
      `toTensors: ${split.images.shape[0]} images but ${split.labels.length} labels`,
      { source: 'split' },
    );
  }
  const ys = labelsToTensor(split.labels, options.numClasses);
  const xs = imagesToTensor(split.images, options);
  return { xs, ys };
}
