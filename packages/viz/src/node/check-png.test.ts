import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chunk, concat, greyData, ihdr, png, SIGNATURE } from '../../test/png-bytes.js';
import { VizError } from '../errors.js';
import { checkPng, pngDataBytes } from './check-png.js';
import { decodePng, encodePng } from './png.js';
import { checkPngLimits, PNG_LIMITS, readPngHeader } from './png-header.js';

const W = 28;
const H = 28;
const pixels = Uint8Array.from({ length: W * H }, (_, i) => (i * 37) % 256);
const good = png(ihdr(W, H), chunk('IDAT', greyData(pixels, W, H)));

/** The message of the VizError that `run` throws. */
function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VizError);
    return (error as Error).message;
  }
  throw new Error('expected a VizError');
}

describe('readPngHeader and checkPngLimits', () => {
  it('read the size from the first 33 bytes', () => {
    expect(readPngHeader(good.subarray(0, 33))).toEqual({
      width: 28,
      height: 28,
      bitDepth: 8,
      colorType: 0,
      interlaced: false,
    });
    expect(PNG_LIMITS).toEqual({ maxSide: 8192, maxPixels: 16_777_216 });
  });

  it('refuse a header that declares more than the limits, before any pixel', () => {
    const huge = png(ihdr(30_000, 30_000));
    expect(failure(() => decodePng(huge, { source: 'huge.png' }))).toBe(
      'huge.png: declares 30000×30000 pixels, more than the limit of 8,192 per side (maxSide)',
    );
    expect(failure(() => checkPngLimits(readPngHeader(png(ihdr(8000, 4000)))))).toBe(
      'bytes: declares 8000×4000 pixels (32,000,000), more than the limit of 16,777,216 in all (maxPixels)',
    );
    expect(() => checkPngLimits(readPngHeader(good), { maxSide: 27 })).toThrow(/limit of 27/);
  });

  it('refuse an empty image, a file that is not a PNG, and an impossible format', () => {
    expect(failure(() => decodePng(png(ihdr(0, 28))))).toBe(
      'bytes: declares 0×28 pixels; expected at least 1×1',
    );
    expect(failure(() => decodePng(new TextEncoder().encode('hello')))).toMatch(
      /not a PNG file \(no PNG signature\)$/,
    );
    expect(failure(() => decodePng(good.subarray(0, 20)))).toMatch(
      /truncated: the file ends inside its header, after 20 bytes$/,
    );
    expect(failure(() => decodePng(png(ihdr(4, 4, { colorType: 2, bitDepth: 4 }))))).toMatch(
      /corrupt: colour type 2 with bit depth 4 does not exist/,
    );
    const badCrc = Uint8Array.from(good);
    badCrc[23] = 29; // the height's low byte: its CRC no longer matches
    expect(failure(() => decodePng(badCrc))).toMatch(/corrupt: bad CRC in its IHDR chunk$/);
  });
});

describe('checkPng', () => {
  it('passes what encodePng writes, and decodePng gives the pixels back', () => {
    expect(checkPng(good).width).toBe(28);
    const back = decodePng(good);
    expect(back.shape).toEqual([28, 28, 4]);
    expect(back.data[4 * 29]).toBe(pixels[29]);
    const rgba = encodePng({ data: new Uint8Array(3 * 5 * 4).fill(9), shape: [3, 5, 4] });
    expect(checkPng(rgba)).toMatchObject({ width: 5, height: 3, colorType: 6 });
  });

  it('rejects a deflate stream cut short, and data with fewer rows than declared', () => {
    const data = greyData(pixels, W, H);
    expect(
      failure(() => decodePng(png(ihdr(W, H), chunk('IDAT', data.subarray(0, data.length >> 1))))),
    ).toBe('bytes: truncated: its image data (a deflate stream) is cut short');
    expect(failure(() => decodePng(png(ihdr(W, H), chunk('IDAT', greyData(pixels, W, 10)))))).toBe(
      'bytes: truncated: its image data holds 10 of the 28 rows that 28×28 pixels need',
    );
  });

  it('rejects a bad CRC, a file cut short, a missing IEND and chunks in the wrong order', () => {
    const flipped = Uint8Array.from(good);
    flipped[50] = (flipped[50] as number) ^ 0xff;
    expect(failure(() => decodePng(flipped))).toBe(
      'bytes: corrupt: bad CRC in its IDAT chunk at byte 33',
    );
    expect(failure(() => decodePng(good.subarray(0, good.length - 30)))).toMatch(
      /^bytes: truncated: its IDAT chunk at byte 33 declares \d+ bytes, and only \d+ follow$/,
    );
    expect(failure(() => decodePng(good.subarray(0, good.length - 12)))).toBe(
      'bytes: truncated: the file ends before its IEND chunk',
    );
    const data = greyData(pixels, W, H);
    const split = png(
      ihdr(W, H),
      chunk('IDAT', data.subarray(0, 10)),
      chunk('tEXt', new TextEncoder().encode('a\0b')),
      chunk('IDAT', data.subarray(10)),
    );
    expect(failure(() => decodePng(split))).toMatch(/IDAT chunks are not one after another/);
    expect(failure(() => decodePng(png(ihdr(W, H))))).toMatch(/no image data/);
    expect(
      failure(() =>
        decodePng(
          png(ihdr(2, 2, { colorType: 3 }), chunk('IDAT', greyData(new Uint8Array(4), 2, 2))),
        ),
      ),
    ).toMatch(/a palette image without its PLTE chunk/);
    const raw = new Uint8Array((W + 1) * H);
    raw[(W + 1) * 3] = 7;
    expect(failure(() => decodePng(png(ihdr(W, H), chunk('IDAT', deflateSync(raw)))))).toMatch(
      /unknown filter type 7/,
    );
  });

  it('stops inflating a bomb at the declared size, fast', () => {
    // 28×28 declared, 16 MiB of zeros inflated: the check stops after 812 bytes.
    const bomb = png(ihdr(W, H), chunk('IDAT', deflateSync(new Uint8Array(16 * 1024 * 1024))));
    expect(bomb.length).toBeLessThan(20_000);
    const started = performance.now();
    expect(failure(() => decodePng(bomb))).toBe(
      'bytes: corrupt: more image data than its 28×28 pixels need',
    );
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('knows the size of interlaced data, pass by pass, and decodes it', () => {
    // 5×3 grey, Adam7: passes of 1×1, 1×1, none (it starts at row 4), 1×1, 3×1, 2×2 and 5×1
    // pixels, each scanline with its filter byte.
    const header = { width: 5, height: 3, bitDepth: 8, colorType: 0, interlaced: true };
    expect(pngDataBytes(header)).toBe(2 + 2 + 0 + 2 + 4 + 2 * 3 + 6);
    expect(pngDataBytes({ ...header, interlaced: false })).toBe(3 * 6);
    // Pixel (x, y) has value 10·y + x.
    const at = (x: number, y: number) => 10 * y + x;
    const rows = [
      [at(0, 0)],
      [at(4, 0)],
      [at(2, 0)],
      [at(0, 2), at(2, 2), at(4, 2)],
      [at(1, 0), at(3, 0)],
      [at(1, 2), at(3, 2)],
      [at(0, 1), at(1, 1), at(2, 1), at(3, 1), at(4, 1)],
    ];
    const raw = concat(...rows.map((row) => Uint8Array.from([0, ...row])));
    const interlaced = png(ihdr(5, 3, { interlace: 1 }), chunk('IDAT', deflateSync(raw)));
    const image = decodePng(interlaced);
    expect(image.shape).toEqual([3, 5, 4]);
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 5; x++) expect(image.data[(y * 5 + x) * 4]).toBe(at(x, y));
    }
    expect(
      failure(() =>
        decodePng(
          png(ihdr(5, 3, { interlace: 1 }), chunk('IDAT', deflateSync(raw.subarray(0, 10)))),
        ),
      ),
    ).toBe('bytes: truncated: its image data holds 10 of the 22 bytes that 5×3 pixels need');
  });

  it('says a file is not a PNG by its signature', () => {
    expect(SIGNATURE).toHaveLength(8);
    expect(failure(() => checkPng(new Uint8Array(0)))).toMatch(/not a PNG file/);
  });
});
