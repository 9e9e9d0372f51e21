import { CoreError, type Image, toCategorical as oneHot } from '@cnnlab/core';
import { DatasetError } from './errors.js';

/**
 * One-hot encodes integer labels, like Keras's `to_categorical`: row i has a 1 in column labels[i].
 * Without `numClasses` the width is the largest label plus one. @cnnlab/core's `toCategorical`,
 * with its errors as DatasetErrors (same message and source), as every error of this package is.
 */
export function toCategorical(labels: ArrayLike<number>, numClasses?: number): Image<Float32Array> {
  try {
    return oneHot(labels, numClasses);
  } catch (error) {
    if (error instanceof CoreError) {
      throw new DatasetError(error.message, { source: error.source, cause: error });
    }
    throw error;
  }
}
