import type { Image } from '@cnnlab/core';
import { VizError } from './errors.js';

// The image type is @cnnlab/core's, shared by every cnnlab package, so images pass between them
// without conversion.
export type { Image, TypedArray } from '@cnnlab/core';

/**
 * What viz reads pixels from besides a core Image: any `{ data, shape }` of numbers, plain arrays
 * and readonly shapes included (a kernel written by hand, `{ data: [1, 0, -1], shape: [1, 3] }`).
 */
export interface ImageLike {
  data: ArrayLike<number>;
  shape: readonly number[];
}

/** An RGBA image, 0–255, shape `[h, w, 4]`. */
export interface RgbaImage extends Image<Uint8ClampedArray> {
  shape: [number, number, 4];
}

/**
 * What the values of an image span: 'auto' reads floating-point data within [0, 1] as 0–1 and
 * anything else as 0–255; 'minmax' stretches the image's own min–max (as matplotlib's imshow);
 * or an explicit [low, high].
 */
export type ValueRange = 'auto' | 'minmax' | readonly [number, number];

/** Anything tensor-like (a tfjs Tensor) that can hand over its values synchronously. */
export interface TensorLike {
  shape: readonly number[];
  dataSync(): ArrayLike<number>;
}

export type ImageInput = Image | ImageLike | TensorLike;

function isTensorLike(input: unknown): input is TensorLike {
  return (
    typeof input === 'object' &&
    input !== null &&
    typeof (input as TensorLike).dataSync === 'function'
  );
}

/** A `{ data, shape }` view of an image or tensor, checking that data and shape agree. */
export function asImage(input: ImageInput, what: string): ImageLike {
  if (typeof input !== 'object' || input === null || !Array.isArray(input.shape)) {
    throw new VizError(`${what}: expected { data, shape } or a tensor`, { source: what });
  }
  const data = isTensorLike(input) ? input.dataSync() : input.data;
  if (data === undefined || typeof data.length !== 'number') {
    throw new VizError(`${what}: data must be an array of numbers`, { source: what });
  }
  const size = input.shape.reduce((a, b) => a * b, 1);
  if (input.shape.some((d) => !Number.isInteger(d) || d < 0) || size !== data.length) {
    throw new VizError(
      `${what}: shape [${input.shape.join(', ')}] does not match ${data.length} values`,
      { source: what },
    );
  }
  return { data, shape: input.shape };
}

/** Height, width and channels of a single image `[h, w]` or `[h, w, c]` (c of 1, 3 or 4). */
export function imageDims(image: ImageLike, what: string): [number, number, number] {
  const { shape } = image;
  const c = shape.length === 2 ? 1 : shape[2];
  if ((shape.length !== 2 && shape.length !== 3) || ![1, 3, 4].includes(c)) {
    throw new VizError(
      `${what}: expected shape [h, w] or [h, w, c] with c 1, 3 or 4, got [${shape.join(', ')}]`,
      { source: what },
    );
  }
  return [shape[0], shape[1], c];
}

/** Rounds and clamps to a byte. */
export function toByte(value: number): number {
  if (!(value > 0)) return 0;
  return value >= 255 ? 255 : Math.round(value);
}

/** The [low, high] that `range` maps to 0 and 255 (the first and last colour), for this image. */
export function valueSpan(image: ImageLike, range: ValueRange): [number, number] {
  if (Array.isArray(range)) return [range[0], range[1]];
  const { data } = image;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (range === 'minmax') return [lo, hi];
  const floating = data instanceof Float32Array || data instanceof Float64Array;
  return floating && lo >= 0 && hi <= 1 ? [0, 1] : [0, 255];
}

/**
 * Grey, RGB or RGBA as RGBA; grey becomes r = g = b, missing alpha is opaque. The values are
 * 0–255 (clamped) unless `range` says otherwise: `{ range: 'minmax' }` stretches the image's own
 * min–max, over all its values, to black–white (a convolution's output, any sign), as imageGrid's
 * `range` does. Alpha is always read as 0–255.
 */
export function toRgba(input: ImageInput, options: { range?: ValueRange } = {}): RgbaImage {
  const image = asImage(input, 'image');
  const [h, w, c] = imageDims(image, 'image');
  const [lo, hi] = options.range === undefined ? [0, 255] : valueSpan(image, options.range);
  const k = hi > lo ? 255 / (hi - lo) : 0;
  const out = new Uint8ClampedArray(h * w * 4);
  const src = image.data;
  for (let i = 0; i < h * w; i++) {
    const o = i * 4;
    if (c === 1) {
      const v = toByte((src[i] - lo) * k);
      out[o] = v;
      out[o + 1] = v;
      out[o + 2] = v;
      out[o + 3] = 255;
    } else {
      out[o] = toByte((src[i * c] - lo) * k);
      out[o + 1] = toByte((src[i * c + 1] - lo) * k);
      out[o + 2] = toByte((src[i * c + 2] - lo) * k);
      out[o + 3] = c === 4 ? toByte(src[i * c + 3]) : 255;
    }
  }
  return { data: out, shape: [h, w, 4] };
}
