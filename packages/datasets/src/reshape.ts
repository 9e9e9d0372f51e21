import { type Image, sizeOf, type TypedArray } from '@cnnlab/core';
import { DatasetError } from './errors.js';

/**
 * The same data under another shape (numpy's `reshape`); one dimension may be -1 and is inferred.
 * The data is shared, not copied.
 */
export function reshape<T extends TypedArray>(image: Image<T>, shape: readonly number[]): Image<T> {
  const total = image.data.length;
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1 || shape.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new DatasetError(
      `reshape: shape [${shape.join(', ')}] must hold non-negative integers and at most one -1`,
      { source: 'shape' },
    );
  }
  const known = sizeOf(shape.filter((d) => d !== -1));
  const out = shape.map((d) => (d === -1 ? (known === 0 ? 0 : total / known) : d));
  if (sizeOf(out) !== total || out.some((d) => !Number.isInteger(d))) {
    throw new DatasetError(
      `reshape: cannot view ${total} elements (shape [${image.shape.join(', ')}]) as [${shape.join(', ')}]`,
      { source: 'shape' },
    );
  }
  return { data: image.data, shape: out };
}

/** `[n, h, w(, c)]` → `[n, h·w·c]`: what a Dense network takes (the workshop's 60000 × 784). */
export function flatten<T extends TypedArray>(images: Image<T>): Image<T> {
  // The row length comes from the shape: inferring it from the data fails for an empty batch.
  return reshape(images, [images.shape[0], sizeOf(images.shape.slice(1))]);
}

/**
 * `[n, h, w]` → `[n, h, w, 1]`: what a Conv2D network takes. A flat `[n, h·w]` batch is folded back
 * into square images. Data already channels-last is returned as is.
 */
export function withChannels<T extends TypedArray>(images: Image<T>): Image<T> {
  const { shape } = images;
  if (shape.length === 4) return images;
  if (shape.length === 3) return reshape(images, [...shape, 1]);
  if (shape.length === 2) {
    const side = Math.round(Math.sqrt(shape[1]));
    if (side * side === shape[1]) return reshape(images, [shape[0], side, side, 1]);
  }
  throw new DatasetError(
    `withChannels: expected images [n, h, w], [n, h, w, c] or square flat [n, h·w], got [${shape.join(', ')}]`,
    { source: 'images' },
  );
}
