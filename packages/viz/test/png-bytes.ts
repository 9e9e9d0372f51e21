// Hand-made PNG files for the reader's tests: any header, any chunks, any image data.
import { deflateSync } from 'node:zlib';
import { crc32 } from '../src/node/crc32.js';

export const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One chunk: length, type, data and its CRC. */
export function chunk(type: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export function ihdr(
  width: number,
  height: number,
  options: { bitDepth?: number; colorType?: number; interlace?: number } = {},
): Uint8Array {
  const data = new Uint8Array(13);
  const view = new DataView(data.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  data[8] = options.bitDepth ?? 8;
  data[9] = options.colorType ?? 0;
  data[12] = options.interlace ?? 0;
  return chunk('IHDR', data);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A whole PNG: signature, IHDR, the given chunks in between, IEND. */
export function png(header: Uint8Array, ...chunks: Uint8Array[]): Uint8Array {
  return concat(SIGNATURE, header, ...chunks, chunk('IEND'));
}

/** Grey 8-bit scanlines (filter type 0 on each row) of a `[h, w]` picture, deflated. */
export function greyData(pixels: Uint8Array, width: number, rows: number): Uint8Array {
  const raw = new Uint8Array(rows * (width + 1));
  for (let y = 0; y < rows; y++)
    raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  return deflateSync(raw);
}
