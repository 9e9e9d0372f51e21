import { DatasetError } from './errors.js';

/** What the image readers accept before they read or allocate anything. */
export interface ImageLimits {
  /** The largest file read, in bytes; checked before reading where the size is known. */
  maxFileBytes: number;
  /** The widest and tallest picture decoded, in pixels, as its header declares. */
  maxImageSide: number;
  /** The most pixels (width × height) a picture's header may declare. */
  maxImagePixels: number;
}

/**
 * Defaults of the image readers: 64 MiB a file (a camera JPEG is 5–15 MB), 16384 pixels a side
 * and 100 megapixels (a decoded 100 Mpx RGBA picture is 400 MB), which headers that lie or
 * panoramas beyond any training use do not get past.
 */
export const IMAGE_LIMITS: Readonly<ImageLimits> = {
  maxFileBytes: 64 * 1024 * 1024,
  maxImageSide: 16384,
  maxImagePixels: 100_000_000,
};

/** The limits in force: the defaults, each replaced by an option that is a positive integer. */
export function resolveImageLimits(options: Partial<ImageLimits>, fn: string): ImageLimits {
  const out = { ...IMAGE_LIMITS };
  for (const key of Object.keys(IMAGE_LIMITS) as (keyof ImageLimits)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new DatasetError(`${fn}: ${key} must be a positive integer, got ${String(value)}`, {
        source: key,
      });
    }
    out[key] = value;
  }
  return out;
}

/** Refuses a picture whose header declares a size past the limits, before it is decoded. */
export function checkImageSize(
  width: number,
  height: number,
  format: string,
  name: string,
  limits: Partial<ImageLimits>,
): void {
  const side = limits.maxImageSide ?? IMAGE_LIMITS.maxImageSide;
  const pixels = limits.maxImagePixels ?? IMAGE_LIMITS.maxImagePixels;
  if (width < 1 || height < 1) {
    throw new DatasetError(
      `${name}: its ${format} header declares ${width}×${height} pixels; expected at least 1×1`,
      { source: name },
    );
  }
  if (width > side || height > side || width * height > pixels) {
    throw new DatasetError(
      `${name}: its ${format} header declares ${width}×${height} pixels; the most accepted is ${side} a side and ${pixels} in all (maxImageSide, maxImagePixels)`,
      { source: name },
    );
  }
}
