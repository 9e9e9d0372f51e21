import type { Image } from '@cnnlab/core';
import { type FlateError, Unzlib } from 'fflate';
import { crc32 } from './crc32.js';
import { DatasetError } from './errors.js';
import { checkImageSize, type ImageLimits } from './image-limits.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when the bytes start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/** What a PNG's IHDR chunk declares. */
export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

// Samples a pixel holds for each colour type, and the bit depths the PNG specification allows.
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};
// Adam7's seven passes: first column, first row, column step, row step.
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];
// Compressed data is given to fflate in pieces: it inflates a whole piece into one buffer, and
// deflate expands up to 1032 times. Pieces follow the expansion seen so far, aiming at STEP bytes
// of output: 64 KiB of an ordinary picture (PNG expands 2 to 10 times), 1 KiB of a bomb.
const MIN_PIECE = 1 << 10;
const MAX_PIECE = 1 << 16;
const STEP = 1 << 20;

const u32 = (b: Uint8Array, i: number) =>
  ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

function fail(name: string, what: string): never {
  throw new DatasetError(`${name}: ${what}; expected a PNG file`, { source: name });
}

/** The image's passes: where each starts, its steps and its size in pixels. */
function passesOf(
  h: PngHeader,
): { x0: number; y0: number; dx: number; dy: number; w: number; rows: number }[] {
  const passes = h.interlaced ? ADAM7 : [[0, 0, 1, 1]];
  return passes
    .map(([x0, y0, dx, dy]) => ({
      x0,
      y0,
      dx,
      dy,
      w: Math.ceil((h.width - x0) / dx),
      rows: Math.ceil((h.height - y0) / dy),
    }))
    .filter((p) => p.w > 0 && p.rows > 0);
}

const rowBytesOf = (w: number, bits: number) => Math.ceil((w * bits) / 8);

function parseIhdr(bytes: Uint8Array, name: string): PngHeader {
  if (!isPng(bytes)) fail(name, 'does not start with the PNG signature');
  if (bytes.length < 33) fail(name, `is truncated: ${bytes.length} bytes end inside its header`);
  if (u32(bytes, 8) !== 13 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') {
    fail(name, 'has no IHDR chunk of 13 bytes first');
  }
  const header: PngHeader = {
    width: u32(bytes, 16),
    height: u32(bytes, 20),
    bitDepth: bytes[24],
    colorType: bytes[25],
    interlaced: bytes[28] === 1,
  };
  if (!DEPTHS[header.colorType]?.includes(header.bitDepth)) {
    fail(name, `has colour type ${header.colorType} with bit depth ${header.bitDepth}, not valid`);
  }
  if (bytes[26] !== 0 || bytes[27] !== 0 || bytes[28] > 1) {
    fail(name, 'declares an unknown compression, filter or interlace method');
  }
  return header;
}

/** The width, height and format a PNG's IHDR declares, read without decoding anything. */
export function readPngHeader(bytes: Uint8Array, name = 'PNG'): PngHeader {
  return parseIhdr(bytes, name);
}

interface Chunks {
  idat: Uint8Array[];
  palette?: Uint8Array;
  trns?: Uint8Array;
}

/**
 * Walks the chunks as far as IEND, checking every critical chunk's CRC as libpng does (a broken
 * ancillary chunk is ignored), so a truncated or corrupt file is named with what is wrong.
 */
function readChunks(bytes: Uint8Array, name: string): Chunks {
  const out: Chunks = { idat: [] };
  let at = 8;
  for (;;) {
    if (at + 12 > bytes.length) {
      fail(name, `is truncated: it ends after ${bytes.length} bytes, before its IEND chunk`);
    }
    const length = u32(bytes, at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) {
      fail(name, `is truncated: chunk ${type} at byte ${at} needs ${length} bytes of data`);
    }
    const data = bytes.subarray(at + 8, end - 4);
    const critical = type.charCodeAt(0) < 97;
    const crcOk = crc32(bytes.subarray(at + 4, end - 4)) >>> 0 === u32(bytes, end - 4);
    if (critical && !crcOk)
      fail(name, `is corrupt: chunk ${type} at byte ${at} fails its CRC check`);
    if (type === 'IDAT') out.idat.push(data);
    else if (type === 'PLTE') out.palette = data;
    else if (type === 'tRNS' && crcOk) out.trns = data;
    else if (type === 'IEND') return out;
    at = end;
  }
}

/**
 * Inflates the image data a piece at a time into a buffer of exactly the size the header's
 * scanlines need, stopping as soon as more arrives: a small file cannot inflate into gigabytes.
 */
function inflateScanlines(
  idat: Uint8Array[],
  size: number,
  header: PngHeader,
  name: string,
): Uint8Array {
  if (idat.length === 0) fail(name, 'has no image data (IDAT chunk)');
  const out = new Uint8Array(size);
  let produced = 0;
  const inflate = new Unzlib((chunk) => {
    if (produced + chunk.length <= size) out.set(chunk, produced);
    produced += chunk.length;
  });
  try {
    let consumed = 0;
    for (const data of idat) {
      for (let i = 0; i < data.length && produced <= size; ) {
        const ratio = consumed === 0 ? 1032 : Math.max(1, produced / consumed);
        const piece = Math.min(MAX_PIECE, Math.max(MIN_PIECE, Math.floor(STEP / ratio)));
        const input = data.subarray(i, i + piece);
        inflate.push(input, false);
        i += input.length;
        consumed += input.length;
      }
    }
    if (produced <= size) inflate.push(new Uint8Array(0), true);
  } catch (error) {
    fail(name, `has corrupt or truncated image data (${(error as FlateError).message})`);
  }
  if (produced > size) {
    fail(name, `holds more image data than its ${header.width}×${header.height} header declares`);
  }
  if (produced < size) {
    fail(name, `is truncated: its image data ends after ${produced} of ${size} bytes`);
  }
  return out;
}

/** Undoes the five PNG filters of `rows` scanlines starting at `at`, in place. */
function unfilter(
  data: Uint8Array,
  at: number,
  rows: number,
  rowBytes: number,
  bpp: number,
  name: string,
): void {
  let prev = -1;
  for (let r = 0, pos = at; r < rows; r++, pos += rowBytes + 1) {
    const line = pos + 1;
    const filter = data[pos];
    if (filter === 1) {
      for (let i = bpp; i < rowBytes; i++) data[line + i] += data[line + i - bpp];
    } else if (filter === 2) {
      if (prev >= 0) for (let i = 0; i < rowBytes; i++) data[line + i] += data[prev + i];
    } else if (filter === 3) {
      for (let i = 0; i < rowBytes; i++) {
        const a = i >= bpp ? data[line + i - bpp] : 0;
        const b = prev >= 0 ? data[prev + i] : 0;
        data[line + i] += (a + b) >> 1;
      }
    } else if (filter === 4) {
      for (let i = 0; i < rowBytes; i++) {
        const a = i >= bpp ? data[line + i - bpp] : 0;
        const b = prev >= 0 ? data[prev + i] : 0;
        const c = i >= bpp && prev >= 0 ? data[prev + i - bpp] : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        data[line + i] += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
    } else if (filter !== 0) {
      fail(name, `is corrupt: scanline ${r} has filter type ${filter}; expected 0 to 4`);
    }
    prev = line;
  }
}

/**
 * Decodes a PNG of any colour type, bit depth and interlacing into bytes `[h, w, c]`: c is 1
 * (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA, also a palette or a colour key with tRNS
 * transparency). As Pillow and libpng's strip_16, 16-bit samples keep their high byte; grey of 1,
 * 2 or 4 bits is scaled to 0–255; a palette index past the palette's end reads as that grey level
 * (Pillow's default palette). Gamma and
 * colour profiles are ignored, as Keras ignores them. The header's size is checked against
 * `limits` before anything is inflated; errors are DatasetErrors naming `name` and what is wrong.
 */
export function decodePng(
  bytes: Uint8Array,
  name: string,
  limits: Partial<ImageLimits> = {},
): Image<Uint8Array> {
  const header = parseIhdr(bytes, name);
  const { width: w, height: h, bitDepth: depth, colorType } = header;
  checkImageSize(w, h, 'PNG', name, limits);
  const chunks = readChunks(bytes, name);
  const samples = SAMPLES[colorType];
  const bits = samples * depth;
  const passes = passesOf(header);
  const size = passes.reduce((sum, p) => sum + p.rows * (1 + rowBytesOf(p.w, bits)), 0);
  const data = inflateScanlines(chunks.idat, size, header, name);

  const palette = chunks.palette;
  if (colorType === 3 && (!palette || palette.length % 3 !== 0 || palette.length === 0)) {
    fail(name, 'has a palette image without a valid palette (PLTE chunk)');
  }
  const trns = chunks.trns;
  // A colour key: the samples (as stored) of the one transparent grey or colour.
  let key: number[] | undefined;
  if ((colorType === 0 || colorType === 2) && trns?.length === samples * 2) {
    key = Array.from({ length: samples }, (_, k) => (trns[2 * k] << 8) | trns[2 * k + 1]);
  }
  const alpha = colorType === 3 ? trns : undefined;
  const c = colorType === 3 ? (alpha ? 4 : 3) : key ? samples + 1 : samples;
  const out = new Uint8Array(w * h * c);
  const mask = (1 << depth) - 1;
  const scale = colorType === 0 && depth < 8 ? 255 / mask : 1;
  const entries = palette ? palette.length / 3 : 0;
  const bpp = Math.max(1, bits >> 3);

  let at = 0;
  for (const pass of passes) {
    const rowBytes = rowBytesOf(pass.w, bits);
    unfilter(data, at, pass.rows, rowBytes, bpp, name);
    // Whole rows of bytes as they are: the common case, copied at once.
    const asIs = depth === 8 && !key && colorType !== 3;
    for (let r = 0; r < pass.rows; r++) {
      const line = at + r * (rowBytes + 1) + 1;
      const y = pass.y0 + r * pass.dy;
      if (asIs && pass.dx === 1) {
        out.set(data.subarray(line, line + rowBytes), y * w * c);
        continue;
      }
      for (let i = 0; i < pass.w; i++) {
        const o = (y * w + pass.x0 + i * pass.dx) * c;
        if (asIs) {
          for (let k = 0; k < samples; k++) out[o + k] = data[line + i * samples + k];
          continue;
        }
        if (colorType === 3) {
          const bit = i * depth;
          const index =
            depth === 8
              ? data[line + i]
              : (data[line + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
          if (index < entries) {
            out[o] = (palette as Uint8Array)[index * 3];
            out[o + 1] = (palette as Uint8Array)[index * 3 + 1];
            out[o + 2] = (palette as Uint8Array)[index * 3 + 2];
          } else {
            // Past the palette's end, Pillow reads its default palette: grey level = index.
            out[o] = out[o + 1] = out[o + 2] = index;
          }
          if (alpha) out[o + 3] = index < alpha.length ? alpha[index] : 255;
          continue;
        }
        let transparent = key !== undefined;
        for (let k = 0; k < samples; k++) {
          let v: number;
          if (depth === 16) {
            const b = line + (i * samples + k) * 2;
            v = (data[b] << 8) | data[b + 1];
            out[o + k] = v >> 8;
          } else if (depth === 8) {
            v = data[line + i * samples + k];
            out[o + k] = v;
          } else {
            const bit = i * depth;
            v = (data[line + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
            out[o + k] = v * scale;
          }
          // The key is compared with the samples as stored, before any scaling.
          if (key && v !== key[k]) transparent = false;
        }
        if (key) out[o + samples] = transparent ? 0 : 255;
      }
    }
    at += pass.rows * (rowBytes + 1);
  }
  return { data: out, shape: [h, w, c] };
}
