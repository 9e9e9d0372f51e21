import { PNG } from 'pngjs';
import { VizError } from '../errors.js';
import { asImage, type ImageInput, imageDims, type RgbaImage, toRgba } from '../image.js';
import { checkPng } from './check-png.js';
import { type PngLimits, pngError } from './png-header.js';
import { writeFileAtomic } from './write-file.js';

// PNG colour types: greyscale, truecolour, truecolour with alpha.
const COLOR_TYPE = { 1: 0, 3: 2, 4: 6 } as const;

/** A grey `[h, w]` / `[h, w, 1]`, RGB or RGBA image of 0–255 values as PNG bytes. */
export function encodePng(image: ImageInput): Uint8Array {
  const view = asImage(image, 'image');
  const [h, w, c] = imageDims(view, 'image');
  if (h === 0 || w === 0) throw new VizError(`image: empty image ${h}×${w}`, { source: 'image' });
  const png = new PNG({ width: w, height: h });
  png.data = Buffer.from(toRgba(view).data.buffer);
  const bytes = PNG.sync.write(png, { colorType: COLOR_TYPE[c as 1 | 3 | 4] });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export interface DecodePngOptions extends PngLimits {
  /** What the bytes are, for messages: a path, say. Default 'bytes'. */
  source?: string;
}

/**
 * PNG bytes back to an RGBA image. The file is checked first (checkPng): its size against
 * `maxSide` and `maxPixels` (default PNG_LIMITS) before anything is decoded, and every chunk and
 * the image data for truncation and corruption, so that a header declaring 30,000 × 30,000 or a
 * deflate stream cut short is a VizError, not gigabytes or a picture made up of zeros.
 */
export function decodePng(bytes: Uint8Array, options: DecodePngOptions = {}): RgbaImage {
  const source = options.source ?? 'bytes';
  checkPng(bytes, options, source);
  try {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return {
      data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength),
      shape: [png.height, png.width, 4],
    };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw pngError(source, `not a readable PNG (${reason})`, cause);
  }
}

/** encodePng written atomically to `path`; a VizError naming the path when it cannot be. */
export async function writePng(image: ImageInput, path: string): Promise<void> {
  await writeFileAtomic(path, encodePng(image));
}
