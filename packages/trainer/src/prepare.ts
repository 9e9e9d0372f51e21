import { type Image, isIntegerArray, type TypedArray } from '@cnnlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { TrainError } from './errors.js';
import type { ModelShape } from './model-shape.js';

/** A split as the @cnnlab/datasets loaders return it: raw pixels and one label per image. */
export interface Split {
  images: Image;
  /** One class index per image, or one-hot rows `{ data, shape: [n, classes] }`. */
  labels: ArrayLike<number> | Image;
}

/** Tensors ready for the model, or to be shaped to it: `ys` one-hot rows or class indices. */
export interface TensorData {
  xs: tf.Tensor;
  ys: tf.Tensor;
}

export type LabeledData = Split | TensorData;

/** Tensors shaped for the model, and whether they were made here (and so are ours to free). */
export interface Prepared {
  xs: tf.Tensor;
  ys: tf.Tensor;
  n: number;
  owned: boolean;
}

export function isTensorData(data: unknown): data is TensorData {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as TensorData).xs instanceof tf.Tensor &&
    (data as TensorData).ys instanceof tf.Tensor
  );
}

export function isSplit(data: unknown): data is Split {
  const images = (data as Split | null)?.images;
  return (
    typeof images === 'object' &&
    images !== null &&
    ArrayBuffer.isView(images.data) &&
    Array.isArray(images.shape) &&
    (data as Split).labels != null
  );
}

/**
 * Pixels as the model takes them, scaled as the data declares: integer arrays hold bytes, so they
 * are scaled by 1/255 to [0, 1]; floats are taken as given (already scaled). `rescale`, when
 * given, is the factor instead, as Keras's `rescale`. Values are never inspected to guess.
 */
export function scaledPixels(
  data: TypedArray,
  argument: string,
  notes: string[],
  rescale?: number,
): Float32Array {
  const factor = rescale ?? (isIntegerArray(data) ? 1 / 255 : 1);
  if (factor === 1) return data instanceof Float32Array ? data : Float32Array.from(data);
  notes.push(
    rescale === undefined
      ? `${argument}: scaled pixels by 1/255 to [0, 1] (integer pixels are bytes)`
      : `${argument}: scaled pixels by ${rescale} (rescale)`,
  );
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] * factor;
  return out;
}

/** `rescale` must be a finite, positive number when given. */
export function checkRescale(rescale: number | undefined): void {
  if (rescale !== undefined && !(Number.isFinite(rescale) && rescale > 0)) {
    throw new TrainError(`rescale is ${rescale}; expected a finite number > 0`, 'rescale');
  }
}

/** The images' shape for the model: [n, …input], checking that each sample has the right size. */
export function modelBatchShape(
  shape: readonly number[],
  model: ModelShape,
  argument: string,
  notes: string[],
): number[] {
  const n = shape[0];
  const size = shape.slice(1).reduce((a, b) => a * b, 1);
  if (n === 0) {
    // tfjs's own words for an empty batch are about its kernels, not about the data.
    throw new TrainError(
      `${argument} holds no samples (shape [${shape.join(', ')}]); expected at least one`,
      argument,
    );
  }
  if (shape.length < 2 || size !== model.inputSize) {
    throw new TrainError(
      `${argument} has shape [${shape.join(', ')}]; expected n samples of the model's input [${model.input.join(', ')}] (${model.inputSize} values each)`,
      argument,
    );
  }
  const target = [n, ...model.input];
  if (target.join() !== shape.join()) {
    notes.push(`${argument}: reshaped [${shape.join(', ')}] to [${target.join(', ')}]`);
  }
  return target;
}

/** Class indices become one-hot rows; rows are checked against the model's output width. */
export function oneHotLabels(
  labels: ArrayLike<number> | Image,
  n: number,
  classes: number,
  argument: string,
  notes: string[],
): Float32Array {
  if (!ArrayBuffer.isView(labels) && !Array.isArray(labels) && 'shape' in labels) {
    const [rows, width] = labels.shape;
    if (labels.shape.length !== 2 || rows !== n || width !== classes) {
      throw new TrainError(
        `${argument} has shape [${labels.shape.join(', ')}]; expected [${n}, ${classes}] (one row per image, one column per output unit)`,
        argument,
      );
    }
    return Float32Array.from(labels.data);
  }
  const values = labels as ArrayLike<number>;
  if (values.length !== n) {
    throw new TrainError(
      `${argument} has ${values.length} labels for ${n} images; expected one label per image`,
      argument,
    );
  }
  const out = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) {
    const c = values[i];
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new TrainError(
        `${argument}[${i}] is ${c}; expected a class index in [0, ${classes - 1}] to fit the model's ${classes} output units`,
        argument,
      );
    }
    out[i * classes + c] = 1;
  }
  notes.push(`${argument}: one-hot encoded to ${classes} classes`);
  return out;
}

/** Turns a split or tensors into model-shaped float inputs and one-hot targets. */
export function prepare(
  data: unknown,
  model: ModelShape,
  argument: string,
  notes: string[],
  rescale?: number,
): Prepared {
  if (isTensorData(data)) {
    const n = data.xs.shape[0];
    if (data.ys.shape[0] !== n) {
      throw new TrainError(
        `${argument}.ys has ${data.ys.shape[0]} rows for ${n} samples in ${argument}.xs; expected one label per sample`,
        `${argument}.ys`,
      );
    }
    const shape = modelBatchShape(data.xs.shape, model, `${argument}.xs`, notes);
    if (data.ys.rank === 2) {
      if (data.ys.shape[1] !== model.classes) {
        throw new TrainError(
          `${argument}.ys has shape [${data.ys.shape.join(', ')}]; expected [${n}, ${model.classes}] to fit the model's output`,
          `${argument}.ys`,
        );
      }
      if (shape.join() === data.xs.shape.join())
        return { xs: data.xs, ys: data.ys, n, owned: false };
      return { xs: tf.reshape(data.xs, shape), ys: data.ys.clone(), n, owned: true };
    }
    const labels = oneHotLabels(data.ys.dataSync(), n, model.classes, `${argument}.ys`, notes);
    return {
      xs: tf.reshape(data.xs, shape),
      ys: tf.tensor2d(labels, [n, model.classes]),
      n,
      owned: true,
    };
  }
  if (isSplit(data)) {
    const n = data.images.shape[0];
    const shape = modelBatchShape(data.images.shape, model, `${argument}.images`, notes);
    const labels = oneHotLabels(data.labels, n, model.classes, `${argument}.labels`, notes);
    const pixels = scaledPixels(data.images.data, `${argument}.images`, notes, rescale);
    return {
      xs: tf.tensor(pixels, shape, 'float32'),
      ys: tf.tensor2d(labels, [n, model.classes]),
      n,
      owned: true,
    };
  }
  throw new TrainError(
    `${argument} is not data the trainer knows; expected a split { images, labels }, tensors { xs, ys } or an ImageFlow`,
    argument,
  );
}

/** Images alone (for predict): a batch `{ data, shape }` or a tensor, shaped for the model. */
export function prepareImages(
  images: Image | tf.Tensor,
  model: ModelShape,
  notes: string[],
  rescale?: number,
): { xs: tf.Tensor; owned: boolean } {
  if (images instanceof tf.Tensor) {
    const shape = modelBatchShape(images.shape, model, 'images', notes);
    if (shape.join() === images.shape.join()) return { xs: images, owned: false };
    return { xs: tf.reshape(images, shape), owned: true };
  }
  if (!images || !ArrayBuffer.isView(images.data) || !Array.isArray(images.shape)) {
    throw new TrainError(
      'images is not an image batch; expected { data, shape } or a tensor',
      'images',
    );
  }
  const shape = modelBatchShape(images.shape, model, 'images', notes);
  return {
    xs: tf.tensor(scaledPixels(images.data, 'images', notes, rescale), shape, 'float32'),
    owned: true,
  };
}
