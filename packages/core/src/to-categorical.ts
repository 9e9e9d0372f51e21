import { CoreError } from './errors.js';
import type { Image } from './image.js';

/**
 * One-hot encodes integer labels, like Keras's `to_categorical`: row i has a 1 in column labels[i].
 * Without `numClasses` the width is the largest label plus one.
 */
export function toCategorical(labels: ArrayLike<number>, numClasses?: number): Image<Float32Array> {
  let k = numClasses;
  if (k === undefined) {
    k = 0;
    for (let i = 0; i < labels.length; i++) k = Math.max(k, labels[i] + 1);
  } else if (!Number.isInteger(k) || k < 1) {
    throw new CoreError(`toCategorical: numClasses must be a positive integer, got ${k}`, {
      source: 'numClasses',
    });
  }
  const n = labels.length;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= k) {
      throw new CoreError(
        `toCategorical: labels[${i}] is ${label}; expected an integer in 0..${k - 1}`,
        { source: 'labels' },
      );
    }
    out[i * k + label] = 1;
  }
  return { data: out, shape: [n, k] };
}
