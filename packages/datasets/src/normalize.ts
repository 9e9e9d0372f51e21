import type { Image, TypedArray } from '@cnnlab/core';
import { DatasetError } from './errors.js';

export interface NormalizeOptions {
  /** Divide by this; 255 maps uint8 pixels into [0, 1]. */
  scale?: number;
}

/**
 * Float32 copy of the images divided by `scale` (255): the workshop's `.astype('float32') / 255`.
 * The shape is kept.
 */
export function normalize(
  images: Image<TypedArray>,
  options: NormalizeOptions = {},
): Image<Float32Array> {
  const scale = options.scale ?? 255;
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new DatasetError(`normalize: scale must be a positive number, got ${scale}`, {
      source: 'scale',
    });
  }
  const src = images.data;
  const out = new Float32Array(src.length);
  const inv = 1 / scale;
  for (let i = 0; i < src.length; i++) out[i] = src[i] * inv;
  return { data: out, shape: [...images.shape] };
}
