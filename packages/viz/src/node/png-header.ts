import { VizError } from '../errors.js';
import { crc32 } from './crc32.js';

/** How large a PNG may be before any of its pixels is decoded. */
export interface PngLimits {
  /** Most pixels along either side. Default 8,192. */
  maxSide?: number;
  /** Most pixels in all (width × height). Default 16,777,216 (16 Mpx, 4,096 × 4,096). */
  maxPixels?: number;
}

/** The default limits: a photo fits, a header that declares 30,000 × 30,000 does not. */
export const PNG_LIMITS = { maxSide: 8192, maxPixels: 16_777_216 } as const;

/** What a PNG's IHDR chunk declares. */
export interface PngHeader {
  width: number;
  height: number;
  /** Bits per sample: 1, 2, 4, 8 or 16. */
  bitDepth: number;
  /** 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA. */
  colorType: number;
  /** Adam7 interlacing. */
  interlaced: boolean;
}

/** The signature and the IHDR chunk: all a reader needs to see to know the image's size. */
export const PNG_HEADER_BYTES = 33;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Samples per pixel of each colour type, and the bit depths it allows. */
const COLOR_TYPES: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};

export function pngError(source: string, reason: string, cause?: unknown): VizError {
  return new VizError(`${source}: ${reason}`, {
    source,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The big-endian unsigned 32-bit integer at `at` (PNG's byte order). */
export function readUint32(bytes: Uint8Array, at: number): number {
  return (
    (((bytes[at] as number) << 24) |
      ((bytes[at + 1] as number) << 16) |
      ((bytes[at + 2] as number) << 8) |
      (bytes[at + 3] as number)) >>>
    0
  );
}

/** Bits per pixel of a header's colour type and depth. */
export function bitsPerPixel(header: PngHeader): number {
  return (COLOR_TYPES[header.colorType]?.channels ?? 4) * header.bitDepth;
}

/**
 * Reads the signature and the IHDR chunk (the first 33 bytes are enough) and checks them: a
 * VizError naming `source` for a file that is not a PNG, is cut short inside its header, has a
 * bad CRC, or declares an impossible format or an empty image (0 × N).
 */
export function readPngHeader(bytes: Uint8Array, source = 'bytes'): PngHeader {
  if (bytes.length < SIGNATURE.length || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw pngError(source, 'not a PNG file (no PNG signature)');
  }
  if (bytes.length < PNG_HEADER_BYTES) {
    throw pngError(
      source,
      `truncated: the file ends inside its header, after ${bytes.length} bytes`,
    );
  }
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  if (readUint32(bytes, 8) !== 13 || type !== 'IHDR') {
    throw pngError(
      source,
      `corrupt: the first chunk is ${JSON.stringify(type)}, not a 13-byte IHDR`,
    );
  }
  if (crc32(bytes.subarray(12, 29)) !== readUint32(bytes, 29)) {
    throw pngError(source, 'corrupt: bad CRC in its IHDR chunk');
  }
  const header: PngHeader = {
    width: readUint32(bytes, 16),
    height: readUint32(bytes, 20),
    bitDepth: bytes[24] as number,
    colorType: bytes[25] as number,
    interlaced: bytes[28] === 1,
  };
  const { width, height, bitDepth, colorType } = header;
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) {
    throw pngError(source, `declares ${width}×${height} pixels; expected at least 1×1`);
  }
  if (!COLOR_TYPES[colorType]?.depths.includes(bitDepth)) {
    throw pngError(
      source,
      `corrupt: colour type ${colorType} with bit depth ${bitDepth} does not exist`,
    );
  }
  if (bytes[26] !== 0 || bytes[27] !== 0 || (bytes[28] as number) > 1) {
    throw pngError(source, 'corrupt: unknown compression, filter or interlace method in its IHDR');
  }
  return header;
}

/** Throws a VizError naming `source` when the header declares more pixels than `limits` allow. */
export function checkPngLimits(header: PngHeader, limits: PngLimits = {}, source = 'bytes'): void {
  const maxSide = limits.maxSide ?? PNG_LIMITS.maxSide;
  const maxPixels = limits.maxPixels ?? PNG_LIMITS.maxPixels;
  const { width, height } = header;
  const size = `${width}×${height}`;
  if (width > maxSide || height > maxSide) {
    throw pngError(
      source,
      `declares ${size} pixels, more than the limit of ${maxSide.toLocaleString('en-US')} per side (maxSide)`,
    );
  }
  if (width * height > maxPixels) {
    throw pngError(
      source,
      `declares ${size} pixels (${(width * height).toLocaleString('en-US')}), more than the limit of ${maxPixels.toLocaleString('en-US')} in all (maxPixels)`,
    );
  }
}
