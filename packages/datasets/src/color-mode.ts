import type { Image } from '@cnnlab/core';
import { DatasetError } from './errors.js';

/** Keras's `color_mode`: 1, 3 or 4 channels. */
export type ColorMode = 'grayscale' | 'rgb' | 'rgba';

/** Channels each colour mode gives. */
export const COLOR_MODE_CHANNELS: Readonly<Record<ColorMode, number>> = {
  grayscale: 1,
  rgb: 3,
  rgba: 4,
};

/**
 * ITU-R 601-2 luma, L = 0.299 R + 0.587 G + 0.114 B, in the 16-bit fixed point Pillow's
 * `convert('L')` uses (the weights sum to exactly 65536), so grey levels match Pillow's.
 */
function luma(r: number, g: number, b: number): number {
  return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >>> 16;
}

/**
 * Bytes `[h, w, c]` (c = 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA) in the channels of `mode`, as
 * Pillow's `convert` gives them: grey from colour by 601 luma, colour from grey by copying, alpha
 * dropped without compositing, and added as 255 where the picture has none. The input is
 * returned as is when it already has the mode's channels.
 */
export function toColorMode(image: Image<Uint8Array>, mode: ColorMode): Image<Uint8Array> {
  const out = COLOR_MODE_CHANNELS[mode];
  if (out === undefined) {
    throw new DatasetError(
      `toColorMode: mode must be 'grayscale', 'rgb' or 'rgba', got ${JSON.stringify(mode)}`,
      { source: 'mode' },
    );
  }
  const [h, w, c = 1] = image.shape;
  if (!(c >= 1 && c <= 4) || image.data.length !== h * w * c) {
    throw new DatasetError(
      `toColorMode: image must be [h, w, c] bytes with 1 to 4 channels, got shape [${image.shape.join(', ')}]`,
      { source: 'image' },
    );
  }
  if (c === out) return { data: image.data, shape: [h, w, c] };
  const src = image.data;
  const n = h * w;
  const dst = new Uint8Array(n * out);
  for (let p = 0, i = 0, o = 0; p < n; p++, i += c, o += out) {
    const grey = c <= 2;
    const r = src[i];
    const g = grey ? r : src[i + 1];
    const b = grey ? r : src[i + 2];
    if (out === 1) {
      dst[o] = grey ? r : luma(r, g, b);
    } else {
      dst[o] = r;
      dst[o + 1] = g;
      dst[o + 2] = b;
      if (out === 4) dst[o + 3] = c === 2 ? src[i + 1] : c === 4 ? src[i + 3] : 255;
    }
  }
  return { data: dst, shape: [h, w, out] };
}
