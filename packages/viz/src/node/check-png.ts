import { inflateSync } from 'node:zlib';
import { crc32 } from './crc32.js';
import {
  bitsPerPixel,
  checkPngLimits,
  PNG_HEADER_BYTES,
  type PngHeader,
  type PngLimits,
  pngError,
  readPngHeader,
  readUint32,
} from './png-header.js';

/** Adam7's seven passes: first column and row, and the steps between them. */
const ADAM7 = [
  [0, 8, 0, 8],
  [4, 8, 0, 8],
  [0, 4, 4, 8],
  [2, 4, 0, 4],
  [0, 2, 2, 4],
  [1, 2, 0, 2],
  [0, 1, 1, 2],
] as const;

/** One sub-image of scanlines: the whole image, or one of Adam7's passes. */
interface Pass {
  rows: number;
  /** Bytes of one scanline, its filter-type byte included. */
  stride: number;
}

/** The scanlines the header implies, pass by pass (one pass unless interlaced). */
function passes(header: PngHeader): Pass[] {
  const bits = bitsPerPixel(header);
  const pass = (width: number, rows: number): Pass => ({
    rows,
    stride: 1 + Math.ceil((width * bits) / 8),
  });
  if (!header.interlaced) return [pass(header.width, header.height)];
  return ADAM7.map(([x0, dx, y0, dy]) => {
    const width = Math.max(0, Math.ceil((header.width - x0) / dx));
    const rows = Math.max(0, Math.ceil((header.height - y0) / dy));
    return width > 0 && rows > 0 ? pass(width, rows) : { rows: 0, stride: 0 };
  });
}

/** The bytes of filtered scanlines a PNG of this header inflates to, exactly. */
export function pngDataBytes(header: PngHeader): number {
  return passes(header).reduce((sum, p) => sum + p.rows * p.stride, 0);
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/**
 * Checks that `bytes` are a whole, sound PNG before a decoder allocates for it: the header within
 * `limits` (see readPngHeader and checkPngLimits), every chunk inside the file with a good CRC,
 * a palette where one is needed, one run of IDAT chunks, an IEND, and image data that inflates
 * to exactly the scanlines the header declares (inflating stops there, so a small file that
 * inflates to gigabytes costs no more than its image), each with a known filter type. Anything
 * else is a VizError naming `source`: "truncated: …" for a file cut short, "corrupt: …" otherwise.
 */
export function checkPng(bytes: Uint8Array, limits: PngLimits = {}, source = 'bytes'): PngHeader {
  const header = readPngHeader(bytes, source);
  checkPngLimits(header, limits, source);
  const data: Uint8Array[] = [];
  let dataEnded = false;
  let palette = false;
  let end = false;
  let at = PNG_HEADER_BYTES;
  while (at < bytes.length && !end) {
    if (at + 12 > bytes.length) {
      throw pngError(source, `truncated: the file ends inside the chunk at byte ${at}`);
    }
    const length = readUint32(bytes, at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (!/^[A-Za-z]{4}$/.test(type) || length > 0x7fffffff) {
      throw pngError(source, `corrupt: no valid chunk at byte ${at}`);
    }
    if (at + 12 + length > bytes.length) {
      throw pngError(
        source,
        `truncated: its ${type} chunk at byte ${at} declares ${length} bytes, and only ${bytes.length - at - 12} follow`,
      );
    }
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== readUint32(bytes, at + 8 + length)) {
      throw pngError(source, `corrupt: bad CRC in its ${type} chunk at byte ${at}`);
    }
    if (type === 'IDAT') {
      if (dataEnded) throw pngError(source, 'corrupt: its IDAT chunks are not one after another');
      data.push(bytes.subarray(at + 8, at + 8 + length));
    } else {
      if (data.length > 0) dataEnded = true;
      if (type === 'IHDR') throw pngError(source, 'corrupt: a second IHDR chunk');
      if (type === 'PLTE') palette = true;
      if (type === 'IEND') end = true;
    }
    at += 12 + length;
  }
  if (!end) throw pngError(source, 'truncated: the file ends before its IEND chunk');
  if (data.length === 0) throw pngError(source, 'corrupt: no image data (IDAT chunk)');
  if (header.colorType === 3 && !palette) {
    throw pngError(source, 'corrupt: a palette image without its PLTE chunk');
  }
  checkScanlines(header, data, source);
  return header;
}

/** Inflates the image data, at most to its declared size, and checks its filter bytes. */
function checkScanlines(header: PngHeader, data: Uint8Array[], source: string): void {
  const expected = pngDataBytes(header);
  const size = `${header.width}×${header.height}`;
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(Buffer.concat(data), { maxOutputLength: Math.max(expected, 1) });
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw pngError(source, `corrupt: more image data than its ${size} pixels need`, error);
    }
    if (code === 'Z_BUF_ERROR') {
      throw pngError(source, 'truncated: its image data (a deflate stream) is cut short', error);
    }
    throw pngError(
      source,
      `corrupt: its image data does not inflate (${(error as Error).message})`,
      error,
    );
  }
  if (inflated.length < expected) {
    const rows = header.interlaced
      ? `${inflated.length} of the ${expected} bytes`
      : `${Math.floor(inflated.length / (passes(header)[0]?.stride ?? 1))} of the ${header.height} rows`;
    throw pngError(source, `truncated: its image data holds ${rows} that ${size} pixels need`);
  }
  let at = 0;
  for (const pass of passes(header)) {
    for (let row = 0; row < pass.rows; row++, at += pass.stride) {
      if ((inflated[at] as number) > 4) {
        throw pngError(source, `corrupt: unknown filter type ${inflated[at]} in its image data`);
      }
    }
  }
}
