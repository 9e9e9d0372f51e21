/**
 * A flow as a tf.data.Dataset for `model.fitDataset`. Needs `@tensorflow/tfjs-core` and
 * `@tensorflow/tfjs-data` (both in `@tensorflow/tfjs`), peer dependencies the app installs.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import type { Batch, ImageFlow } from './flow.js';

/** One batch as tensors: xs `[b, h, w, c]`, ys as shaped (labels or one-hot rows). */
export function batchToTensors(batch: Batch): { xs: tf.Tensor4D; ys: tf.Tensor } {
  const xs = tf.tensor4d(
    batch.xs.data,
    batch.xs.shape as [number, number, number, number],
    'float32',
  );
  if (!batch.ys) return { xs, ys: tf.zeros([batch.xs.shape[0]]) };
  return { xs, ys: tf.tensor(batch.ys.data, batch.ys.shape, 'float32') };
}

/**
 * A dataset of `{ xs, ys }` batches. Each pass over it (one `fitDataset` epoch) is the flow's next
 * epoch: new order, new transformations.
 */
export function flowDataset(flow: ImageFlow): tfd.Dataset<{ xs: tf.Tensor4D; ys: tf.Tensor }> {
  return tfd.generator(function* () {
    for (const batch of flow) yield batchToTensors(batch);
  });
}
