import type { Image } from '@cnnlab/core';
import jpeg from 'jpeg-js';
import { DatasetError } from './errors.js';
import { checkImageSize, type ImageLimits } from './image-limits.js';

/** True when the bytes start with a JPEG start-of-image marker (ff d8 ff). */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** What a JPEG's frame header (SOFn) declares. */
export interface JpegHeader {
  width: number;
  height: number;
  components: number;
  progressive: boolean;
}

function fail(name: string, what: string): never {
  throw new DatasetError(`${name}: ${what}; expected a JPEG file`, { source: name });
}

interface Frame extends JpegHeader {
  /** Where the first scan's header starts. */
  scanAt: number;
}

/** Walks the marker segments up to the first scan, reading the frame header on the way. */
function readFrame(bytes: Uint8Array, name: string): Frame {
  if (!isJpeg(bytes)) fail(name, 'does not start with a JPEG start-of-image marker');
  let at = 2;
  let frame: JpegHeader | undefined;
  for (;;) {
    if (at >= bytes.length)
      fail(name, `is truncated: it ends after ${bytes.length} bytes, before its image data`);
    if (bytes[at] !== 0xff) fail(name, `is corrupt: no marker at byte ${at}`);
    while (bytes[at] === 0xff) at++;
    const marker = bytes[at++];
    // Markers without a length: TEM, RSTn and a repeated SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
    if (marker === 0xd9) fail(name, 'ends (EOI) before any image data');
    if (at + 2 > bytes.length) fail(name, `is truncated: marker segment at byte ${at - 2} is cut`);
    const length = (bytes[at] << 8) | bytes[at + 1];
    if (length < 2 || at + length > bytes.length) {
      fail(name, `is truncated: marker segment at byte ${at - 2} needs ${length} bytes`);
    }
    const sof =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (sof && frame === undefined) {
      if (marker > 0xc2) {
        fail(
          name,
          `uses a lossless, hierarchical or arithmetic-coded frame (SOF${marker - 0xc0}), which the decoder does not read; expected baseline or progressive`,
        );
      }
      if (length < 8) fail(name, `has a frame header of ${length} bytes`);
      frame = {
        height: (bytes[at + 3] << 8) | bytes[at + 4],
        width: (bytes[at + 5] << 8) | bytes[at + 6],
        components: bytes[at + 7],
        progressive: marker === 0xc2,
      };
    }
    if (marker === 0xda) {
      if (!frame) fail(name, 'has image data before any frame header (SOFn)');
      return { ...frame, scanAt: at - 2 };
    }
    at += length;
  }
}

/** The width, height and components a JPEG's frame header declares, without decoding. */
export function readJpegHeader(bytes: Uint8Array, name = 'JPEG'): JpegHeader {
  const { scanAt: _, ...header } = readFrame(bytes, name);
  return header;
}

/**
 * Whether an end-of-image marker follows the first scan. Inside entropy-coded data every ff byte
 * is followed by 00 or a restart marker, so ff d9 there is the real end; a truncated file lacks
 * it (jpeg-js would decode what it has and leave the rest grey). Bytes after it are allowed.
 */
function hasEnd(bytes: Uint8Array, from: number): boolean {
  for (let i = bytes.length - 2; i > from; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  }
  return false;
}

/**
 * Decodes a baseline or progressive JPEG with jpeg-js into RGB bytes `[h, w, 3]` (a grey JPEG's
 * level in all three). The frame header's size is checked against `limits` first. Errors are
 * DatasetErrors naming `name`: not a JPEG, truncated, corrupt, too large, an unsupported kind.
 */
export function decodeJpeg(
  bytes: Uint8Array,
  name: string,
  limits: Partial<ImageLimits> = {},
): Image<Uint8Array> {
  const frame = readFrame(bytes, name);
  checkImageSize(frame.width, frame.height, 'JPEG', name, limits);
  if (!hasEnd(bytes, frame.scanAt)) {
    fail(name, `is truncated: no end-of-image marker after its image data (${bytes.length} bytes)`);
  }
  const pixels = frame.width * frame.height;
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: Math.ceil(pixels / 1e6) + 1,
      // jpeg-js counts its coefficient blocks and output: about 30 bytes a pixel at worst
      // (three full-resolution components); the pixel limit above is what bounds it.
      maxMemoryUsageInMB: Math.ceil((pixels * 32) / 2 ** 20) + 64,
    });
  } catch (error) {
    fail(name, `cannot be decoded: ${(error as Error).message}`);
  }
  if (decoded.width !== frame.width || decoded.height !== frame.height) {
    fail(
      name,
      `decoded as ${decoded.width}×${decoded.height}, not the ${frame.width}×${frame.height} its header declares`,
    );
  }
  return { data: decoded.data, shape: [decoded.height, decoded.width, 3] };
}
