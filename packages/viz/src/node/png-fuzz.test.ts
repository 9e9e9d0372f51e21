import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chunk, greyData, ihdr, png } from '../../test/png-bytes.js';
import { VizError } from '../errors.js';
import { decodePng, encodePng } from './png.js';

/** mulberry32: a small seeded generator, so that every run tries the same cases. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CASES = 600;

/** Valid PNGs of a few kinds, for the fuzzer to break. */
function seeds(): Uint8Array[] {
  const grey = Uint8Array.from({ length: 16 * 12 }, (_, i) => (i * 29) % 256);
  return [
    encodePng({ data: grey, shape: [12, 16] }),
    encodePng({ data: new Uint8Array(9 * 7 * 4).map((_, i) => i), shape: [9, 7, 4] }),
    png(ihdr(16, 12), chunk('IDAT', greyData(grey, 16, 12))),
    png(
      ihdr(3, 2, { colorType: 3, bitDepth: 2 }),
      chunk('PLTE', Uint8Array.from([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255])),
      chunk('IDAT', deflateSync(Uint8Array.from([0, 0b00011011, 0, 0b11100100]))),
    ),
  ];
}

/** One random change: bits flipped, bytes cut off or inserted, a length or size rewritten. */
function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const at = Math.floor(random() * bytes.length);
  const out = Uint8Array.from(bytes);
  switch (Math.floor(random() * 5)) {
    case 0:
      for (let k = 0; k < 1 + random() * 4; k++) {
        const i = Math.floor(random() * out.length);
        out[i] = (out[i] as number) ^ (1 << Math.floor(random() * 8));
      }
      return out;
    case 1:
      return out.subarray(0, at);
    case 2: {
      const extra = Uint8Array.from(
        { length: 1 + Math.floor(random() * 64) },
        () => random() * 256,
      );
      const grown = new Uint8Array(out.length + extra.length);
      grown.set(out.subarray(0, at));
      grown.set(extra, at);
      grown.set(out.subarray(at), at + extra.length);
      return grown;
    }
    case 3:
      // A chunk length or the image size: 4 random bytes at a 4-byte boundary past the signature.
      new DataView(out.buffer).setUint32(
        8 + 4 * Math.floor(random() * ((out.length - 12) / 4)),
        random() * 2 ** 32,
      );
      return out;
    default:
      return out.subarray(Math.floor(random() * 16));
  }
}

describe('decodePng under random damage', () => {
  it(`gives an image within the limits or a VizError, never anything else (${CASES} seeded cases)`, () => {
    const random = seeded(15);
    const originals = seeds();
    let rejected = 0;
    const started = performance.now();
    for (let n = 0; n < CASES; n++) {
      const bytes = mutate(originals[n % originals.length] as Uint8Array, random);
      try {
        const image = decodePng(bytes, { maxSide: 64, maxPixels: 1024 });
        const [h, w] = image.shape;
        expect(h * w).toBeLessThanOrEqual(1024);
        expect(image.data.length).toBe(h * w * 4);
      } catch (error) {
        if (!(error instanceof VizError)) throw new Error(`case ${n}: ${String(error)}`);
        expect(error.message.split('\n')).toHaveLength(1);
        rejected++;
      }
    }
    // Nearly every change is caught: a CRC covers every chunk.
    expect(rejected).toBeGreaterThan(CASES * 0.9);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
