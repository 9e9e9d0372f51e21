import { type ImageInput, toRgba } from './image.js';

/** What a 2D canvas needs from an ImageData. */
export interface ImageDataLike {
  data: Uint8ClampedArray;
  width: number;
  height: number;
  colorSpace: 'srgb';
}

/**
 * An image as an ImageData for `ctx.putImageData`: a real ImageData where the global exists (a
 * page), otherwise a plain object of the same shape (Node, workers without it).
 */
export function toImageData(image: ImageInput): ImageData | ImageDataLike {
  const rgba = toRgba(image);
  const [height, width] = rgba.shape;
  const Ctor = (globalThis as { ImageData?: typeof ImageData }).ImageData;
  if (Ctor !== undefined && width > 0 && height > 0) {
    return new Ctor(rgba.data as Uint8ClampedArray<ArrayBuffer>, width, height);
  }
  return { data: rgba.data, width, height, colorSpace: 'srgb' };
}
