import type { Image } from '@cnnlab/core';
import { AugmentError } from './errors.js';

// The image type is @cnnlab/core's, shared by every cnnlab package, so images pass between them
// without conversion.
export type { Image, TypedArray as NumericArray } from '@cnnlab/core';

/** Height, width and channels of one image given as `[h, w]` or `[h, w, c]`. */
export function imageDims(image: Image, name = 'image'): { h: number; w: number; c: number } {
  const { shape, data } = image;
  if (!ArrayBuffer.isView(data) || !Array.isArray(shape)) {
    throw new AugmentError(`${name} must be { data: TypedArray, shape: [h, w, c] }`, name);
  }
  if (shape.length !== 2 && shape.length !== 3) {
    throw new AugmentError(
      `${name} has rank ${shape.length} (shape [${shape.join(', ')}]); expected [h, w] or [h, w, c]`,
      name,
    );
  }
  const [h, w, c = 1] = shape;
  checkSize(data.length, [h, w, c], shape, name);
  return { h, w, c };
}

/** Count, height, width and channels of a batch given as `[n, h, w]` or `[n, h, w, c]`. */
export function batchDims(
  batch: Image,
  name = 'x',
): { n: number; h: number; w: number; c: number } {
  const { shape, data } = batch;
  if (!ArrayBuffer.isView(data) || !Array.isArray(shape)) {
    throw new AugmentError(`${name} must be { data: TypedArray, shape: [n, h, w, c] }`, name);
  }
  if (shape.length !== 3 && shape.length !== 4) {
    throw new AugmentError(
      `${name} has rank ${shape.length} (shape [${shape.join(', ')}]); expected 4 ([n, h, w, c]) or 3 ([n, h, w], one channel)`,
      name,
    );
  }
  const [n, h, w, c = 1] = shape;
  checkSize(data.length, [n, h, w, c], shape, name);
  return { n, h, w, c };
}

function checkSize(length: number, dims: number[], shape: number[], name: string): void {
  if (!dims.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new AugmentError(
      `${name} has shape [${shape.join(', ')}]; every dimension must be a positive integer`,
      name,
    );
  }
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== length) {
    throw new AugmentError(
      `${name} has shape [${shape.join(', ')}] (${size} values) but its data holds ${length}`,
      name,
    );
  }
}
