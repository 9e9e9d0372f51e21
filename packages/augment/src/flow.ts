import { CoreError, isIntegerArray, permutation, seededRandom, toCategorical } from '@cnnlab/core';
import type { Augmenter } from './augmenter.js';
import { AugmentError } from './errors.js';
import { batchDims, type Image } from './image.js';

/** Labels that travel with the images: one number per sample, or rows `{ data, shape: [n, …] }`. */
export type Labels = ArrayLike<number> | Image;

export interface FlowOptions {
  /** Samples per batch (the last batch of an epoch may be smaller). Default 32. */
  batchSize?: number;
  /** Reshuffle the order every epoch. Default true. */
  shuffle?: boolean;
  /** Seed of the order and of the transformations; default a random one. */
  seed?: number;
  /** One-hot encode 1-D labels to this many classes. */
  numClasses?: number;
}

/** One batch: float32 images `[b, h, w, c]`, their labels, and which samples they came from. */
export interface Batch {
  xs: Image<Float32Array>;
  ys: Image<Float32Array> | undefined;
  indices: Uint32Array;
}

/** Mixes several integers into one 32-bit seed (a murmur-style finaliser). */
function mix(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/**
 * Keras's `flow(x, y)`: iterate it (sync or `for await`) for one epoch of batches; each iteration
 * is the next epoch, with a new order and new transformations. Batches are reproducible from
 * (seed, epoch, batch index), so Node and browsers see the same images.
 */
export class ImageFlow implements Iterable<Batch>, AsyncIterable<Batch> {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  /** Batches in one epoch. */
  readonly length: number;
  /**
   * The factor that brings this flow's pixels to [0, 1], declared by its data rather than guessed
   * from values: 1/255 when the images are bytes (an integer array) and the generator neither
   * rescales nor normalises them; 1 otherwise. @cnnlab/trainer applies it.
   */
  readonly pixelScale: number;
  /** The epoch the next iteration yields. */
  epoch = 0;
  private readonly x: Image;
  private readonly y: Image<Float32Array> | undefined;

  constructor(
    private readonly generator: Augmenter,
    x: Image,
    y: Labels | undefined,
    options: FlowOptions = {},
  ) {
    const dims = batchDims(x, 'x');
    this.n = dims.n;
    this.h = dims.h;
    this.w = dims.w;
    this.c = dims.c;
    this.x = x;
    this.batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new AugmentError(
        `batchSize is ${options.batchSize}; expected an integer >= 1`,
        'batchSize',
      );
    }
    this.shuffle = options.shuffle ?? true;
    this.seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    this.length = Math.ceil(this.n / this.batchSize);
    this.y = y === undefined ? undefined : labelRows(y, this.n, options.numClasses);
    const unready = generator.notReady();
    if (unready) throw new AugmentError(`${unready} before flow`, 'fit');
    this.pixelScale = generator.keepsRange && isIntegerArray(x.data) ? 1 / 255 : 1;
  }

  /** The sample order of an epoch. */
  order(epoch: number): Uint32Array {
    if (!this.shuffle) return Uint32Array.from({ length: this.n }, (_, i) => i);
    return permutation(this.n, mix(this.seed, epoch));
  }

  /** Batch `index` of `epoch`, the same every time it is asked for. */
  batch(index: number, epoch = this.epoch, order = this.order(epoch)): Batch {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new AugmentError(`batch index ${index} is outside 0..${this.length - 1}`, 'index');
    }
    const { h, w, c } = this;
    const size = h * w * c;
    const indices = order.slice(
      index * this.batchSize,
      Math.min(this.n, (index + 1) * this.batchSize),
    );
    const data = new Float32Array(indices.length * size);
    const random = seededRandom(mix(this.seed, epoch, index, 1));
    for (let b = 0; b < indices.length; b++) {
      const params = this.generator.sampleTransform(h, w, random);
      this.generator.transformInto(this.x.data, indices[b] * size, h, w, c, params, data, b * size);
      this.generator.standardize(data, c, b * size, size);
    }
    return { xs: { data, shape: [indices.length, h, w, c] }, ys: this.labelsOf(indices), indices };
  }

  private labelsOf(indices: Uint32Array): Image<Float32Array> | undefined {
    if (!this.y) return undefined;
    const per = this.y.data.length / this.n;
    const data = new Float32Array(indices.length * per);
    indices.forEach((i, b) => {
      data.set(this.y?.data.subarray(i * per, (i + 1) * per) as Float32Array, b * per);
    });
    return { data, shape: [indices.length, ...this.y.shape.slice(1)] };
  }

  *[Symbol.iterator](): Iterator<Batch> {
    const epoch = this.epoch++;
    const order = this.order(epoch);
    for (let i = 0; i < this.length; i++) yield this.batch(i, epoch, order);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Batch> {
    for (const batch of this) {
      yield batch;
      // Let the event loop breathe between batches (progress bars, UI).
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
  }
}

function labelRows(y: Labels, n: number, numClasses?: number): Image<Float32Array> {
  if (ArrayBuffer.isView((y as Image).data) && Array.isArray((y as Image).shape)) {
    const rows = y as Image;
    if (rows.shape[0] !== n) {
      throw new AugmentError(
        `y holds ${rows.shape[0]} rows but x holds ${n} images; they must match`,
        'y',
      );
    }
    return { data: Float32Array.from(rows.data), shape: [...rows.shape] };
  }
  const labels = y as ArrayLike<number>;
  if (typeof labels.length !== 'number') {
    throw new AugmentError('y must be an array of labels or { data, shape: [n, …] }', 'y');
  }
  if (labels.length !== n) {
    throw new AugmentError(
      `y holds ${labels.length} labels but x holds ${n} images; they must match`,
      'y',
    );
  }
  if (numClasses === undefined) return { data: Float32Array.from(labels), shape: [n] };
  try {
    return toCategorical(labels, numClasses);
  } catch (error) {
    // Bad labels or numClasses: this package's own error type, with core's message.
    if (error instanceof CoreError) {
      throw new AugmentError(error.message, error.source === 'labels' ? 'y' : error.source);
    }
    throw error;
  }
}
