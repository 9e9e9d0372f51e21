import type { Image } from '@cnnlab/core';
import { asBytes, type Bytes } from './bytes.js';
import { DatasetError } from './errors.js';
import type { ImageLimits } from './image-limits.js';
import { decodeJpeg, isJpeg } from './jpeg.js';
import { decodePng, isPng } from './png.js';

/** The picture formats cnnlab decodes. */
export type ImageFormat = 'png' | 'jpeg';

/** The format the bytes are in, told by their signature (never by a file name), if one we read. */
export function imageFormat(bytes: Bytes): ImageFormat | undefined {
  const b = asBytes(bytes, 'bytes');
  if (isPng(b)) return 'png';
  if (isJpeg(b)) return 'jpeg';
  return undefined;
}

export interface DecodeImageOptions
  extends Partial<Pick<ImageLimits, 'maxImageSide' | 'maxImagePixels'>> {
  /** The file's name or path, for error messages. */
  name?: string;
}

function describeStart(b: Uint8Array): string {
  if (b.length === 0) return 'it is empty';
  const hex = Array.from(b.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join(' ');
  return `it starts with ${hex}`;
}

/**
 * Decodes a PNG or JPEG, told apart by their signatures, into bytes `[h, w, c]`: c is 1, 2, 3 or
 * 4 as the file stores it (grey, grey + alpha, RGB, RGBA; a JPEG always gives 3). `toColorMode`
 * brings it to the channels wanted. Headers are checked against `maxImageSide` and
 * `maxImagePixels` before anything is allocated.
 */
export function decodeImage(bytes: Bytes, options: DecodeImageOptions = {}): Image<Uint8Array> {
  const name = options.name ?? 'image';
  const b = asBytes(bytes, name);
  if (isPng(b)) return decodePng(b, name, options);
  if (isJpeg(b)) return decodeJpeg(b, name, options);
  throw new DatasetError(
    `${name}: not a PNG or JPEG (${describeStart(b)}); expected a PNG or JPEG file`,
    {
      source: name,
    },
  );
}
