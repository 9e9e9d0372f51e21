import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** The model's outputs for `xs`, batch by batch so that memory stays bounded, as one array. */
export async function probabilities(
  model: tfl.LayersModel,
  xs: tf.Tensor,
  batchSize: number,
): Promise<Float32Array> {
  const n = xs.shape[0];
  const classes = model.outputs[0].shape[1] as number;
  const out = new Float32Array(n * classes);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const p = tf.tidy(() => model.predict(tf.slice(xs, start, size)) as tf.Tensor);
    out.set(await p.data(), start * classes);
    p.dispose();
  }
  return out;
}
