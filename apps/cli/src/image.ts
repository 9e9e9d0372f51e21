import type { Image } from '@cnnlab/datasets';
import { PNG_LIMITS, readPng, VizError } from '@cnnlab/viz/node';
import { CliError } from './errors.js';

/** One grey picture, `[h, w]` bytes. */
type GreyImage = Image<Uint8Array>;

/**
 * The largest picture the CLI reads, checked from the PNG header before anything is decoded:
 * 8,192 pixels a side and 16,777,216 (16 Mpx) in all, as the README says.
 */
export const IMAGE_LIMITS = PNG_LIMITS;

/**
 * Reads any PNG as grey bytes (alpha composited on black, as MNIST's background is black). Only
 * a regular file within IMAGE_LIMITS, whole and sound (see @cnnlab/viz's readPng): anything else
 * is one line naming the file.
 */
export async function readGreyPng(path: string): Promise<GreyImage> {
  let png: Awaited<ReturnType<typeof readPng>>;
  try {
    png = await readPng(path, IMAGE_LIMITS);
  } catch (error) {
    // viz's message starts with the path.
    const message = error instanceof VizError ? error.message : `${path}: ${String(error)}`;
    throw new CliError(`cannot read image ${message}`, { cause: error });
  }
  const [height, width] = png.shape;
  const { data } = png;
  const grey = new Uint8Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    const r = data[i * 4] ?? 0;
    const g = data[i * 4 + 1] ?? 0;
    const b = data[i * 4 + 2] ?? 0;
    const a = (data[i * 4 + 3] ?? 255) / 255;
    grey[i] = Math.round((0.299 * r + 0.587 * g + 0.114 * b) * a);
  }
  return { data: grey, shape: [height, width] };
}

/** Area-averaging resize: each output pixel is the mean of the input pixels it covers. */
export function resizeGrey(image: GreyImage, size = 28): GreyImage {
  const [h, w] = image.shape;
  if (h === size && w === size) return image;
  const out = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    const y0 = (y * h) / size;
    const y1 = ((y + 1) * h) / size;
    for (let x = 0; x < size; x++) {
      const x0 = (x * w) / size;
      const x1 = ((x + 1) * w) / size;
      let sum = 0;
      let area = 0;
      for (let yy = Math.floor(y0); yy < Math.ceil(y1); yy++) {
        const wy = Math.min(yy + 1, y1) - Math.max(yy, y0);
        for (let xx = Math.floor(x0); xx < Math.ceil(x1); xx++) {
          const wx = Math.min(xx + 1, x1) - Math.max(xx, x0);
          sum += (image.data[yy * w + xx] ?? 0) * wx * wy;
          area += wx * wy;
        }
      }
      out[y * size + x] = Math.round(sum / area);
    }
  }
  return { data: out, shape: [size, size] };
}

/**
 * MNIST digits are light on dark: a picture that is mostly light (ink on paper) is inverted.
 */
export function toMnistLike(image: GreyImage): { image: GreyImage; inverted: boolean } {
  const small = resizeGrey(image, 28);
  let sum = 0;
  for (const v of small.data) sum += v;
  const inverted = sum / small.data.length > 127;
  if (inverted) {
    const data = small.data.map((v) => 255 - v);
    return { image: { data, shape: small.shape }, inverted };
  }
  return { image: small, inverted };
}
