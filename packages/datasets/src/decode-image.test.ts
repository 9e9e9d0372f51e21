import { beforeAll, describe, expect, it } from 'vitest';
import {
  bytesOf,
  makePictures,
  maxAbsDiff,
  meanAbsDiff,
  type PictureSpec,
  python,
  type RefSpec,
  tempFolder,
  warnIfNoPython,
} from '../test/pictures.js';
import { type ColorMode, toColorMode } from './color-mode.js';
import { decodeImage, imageFormat } from './decode-image.js';
import { DatasetError } from './errors.js';
import { readJpegHeader } from './jpeg.js';
import { readPngHeader } from './png.js';

warnIfNoPython('decode-image.test.ts');

const MODES: ColorMode[] = ['grayscale', 'rgb', 'rgba'];

// Pillow-written PNGs of every mode it saves, at odd sizes so rows end mid-byte.
const PIL_PNGS: PictureSpec[] = [
  { path: 'L.png', mode: 'L', width: 13, height: 7 },
  { path: 'LA.png', mode: 'LA', width: 9, height: 11, pattern: 'noise' },
  { path: 'RGB.png', mode: 'RGB', width: 31, height: 17 },
  { path: 'RGB-noise.png', mode: 'RGB', width: 16, height: 16, pattern: 'noise', seed: 3 },
  { path: 'RGBA.png', mode: 'RGBA', width: 23, height: 5, pattern: 'noise', seed: 4 },
  { path: '1.png', mode: '1', width: 19, height: 6 },
  { path: 'P4.png', mode: 'P', colors: 16, bits: 4, width: 17, height: 9 },
  { path: 'P8.png', mode: 'P', colors: 200, width: 21, height: 13, seed: 2 },
  { path: 'P-trns.png', mode: 'P', colors: 16, transparency: 3, width: 12, height: 12 },
  { path: 'I16.png', mode: 'I;16', width: 10, height: 9 },
  {
    path: 'RGB-key.png',
    mode: 'RGB',
    width: 8,
    height: 8,
    pattern: 'noise',
    transparency: [0, 0, 0],
  },
];

// What Pillow cannot write: every colour type and depth, Adam7, all five filters, tRNS.
const RAW_PNGS: PictureSpec[] = [
  ...[1, 2, 4, 8].map((d) => ({
    path: `gray${d}.png`,
    colorType: 0,
    bitDepth: d,
    width: 11,
    height: 5,
  })),
  { path: 'gray16.png', colorType: 0, bitDepth: 16, width: 7, height: 6 },
  { path: 'rgb16.png', colorType: 2, bitDepth: 16, width: 9, height: 4 },
  { path: 'ga16.png', colorType: 4, bitDepth: 16, width: 5, height: 5 },
  { path: 'rgba16.png', colorType: 6, bitDepth: 16, width: 6, height: 7 },
  { path: 'pal2.png', colorType: 3, bitDepth: 2, width: 13, height: 3 },
  {
    path: 'pal-trns.png',
    colorType: 3,
    bitDepth: 8,
    paletteSize: 20,
    tRNS: [0, 128, 255, 7],
    width: 10,
    height: 6,
  },
  {
    path: 'pal-short.png',
    colorType: 3,
    bitDepth: 8,
    paletteSize: 5,
    indexRange: 40,
    tRNS: [9],
    width: 8,
    height: 8,
  },
  { path: 'gray-key.png', colorType: 0, bitDepth: 8, width: 16, height: 16, tRNS: [7] },
  { path: 'adam7-rgb.png', colorType: 2, bitDepth: 8, interlace: true, width: 19, height: 13 },
  { path: 'adam7-rgba16.png', colorType: 6, bitDepth: 16, interlace: true, width: 10, height: 9 },
  { path: 'adam7-gray1.png', colorType: 0, bitDepth: 1, interlace: true, width: 11, height: 10 },
  { path: 'adam7-tiny.png', colorType: 2, bitDepth: 8, interlace: true, width: 3, height: 2 },
  { path: 'adam7-pal4.png', colorType: 3, bitDepth: 4, interlace: true, width: 9, height: 9 },
].map((s, i) => ({ kind: 'raw-png' as const, seed: i, ...s }));

const JPEGS: (PictureSpec & { max: number; mean: number })[] = [
  // 4:4:4: only the IDCTs differ (jpeg-js's and libjpeg-turbo's).
  { path: 'q95-444.jpg', width: 61, height: 47, subsampling: 0, quality: 95, max: 4, mean: 1 },
  // 4:2:0, what cameras write: libjpeg's "fancy" chroma upsampling against jpeg-js's plain one.
  { path: 'q90-420.jpg', width: 64, height: 48, subsampling: 2, quality: 90, max: 24, mean: 4 },
  {
    path: 'progressive.jpg',
    width: 40,
    height: 33,
    subsampling: 2,
    progressive: true,
    max: 24,
    mean: 4,
  },
  { path: 'gray.jpg', mode: 'L', width: 37, height: 29, max: 2, mean: 0.5 },
].map((s) => ({ mode: 'RGB', format: 'JPEG' as const, ...s }));

const refsFor = (files: string[]): RefSpec[] =>
  files.flatMap((file) =>
    MODES.map((colorMode) => ({ file, colorMode, out: `${file}.${colorMode}` })),
  );

describe.skipIf(!python)('decodeImage against Pillow', () => {
  const dir = tempFolder('decode');
  beforeAll(() => {
    const all = [...PIL_PNGS, ...RAW_PNGS, ...JPEGS];
    makePictures(dir, all, refsFor(all.map((s) => s.path)));
  });

  it.each([...PIL_PNGS, ...RAW_PNGS].map((s) => s.path))(
    'decodes %s exactly, in every colour mode',
    (file) => {
      const decoded = decodeImage(bytesOf(dir, file), { name: file });
      for (const mode of MODES) {
        const got = toColorMode(decoded, mode);
        const want = bytesOf(dir, `${file}.${mode}`);
        expect(got.data.length, `${file} ${mode}`).toBe(want.length);
        expect(maxAbsDiff(got.data, want), `${file} ${mode}`).toBe(0);
      }
    },
  );

  it.each(JPEGS.map((s) => [s.path, s.max, s.mean] as const))(
    'decodes %s within %i levels of libjpeg (mean under %d)',
    (file, max, mean) => {
      const decoded = decodeImage(bytesOf(dir, file), { name: file });
      expect(decoded.shape.slice(2)).toEqual([3]);
      for (const mode of MODES) {
        const got = toColorMode(decoded, mode).data;
        const want = bytesOf(dir, `${file}.${mode}`);
        expect(got.length).toBe(want.length);
        expect(maxAbsDiff(got, want), `${file} ${mode}`).toBeLessThanOrEqual(max);
        expect(meanAbsDiff(got, want), `${file} ${mode}`).toBeLessThan(mean);
      }
    },
  );

  it('reads headers without decoding, and tells formats by signature, not name', () => {
    expect(readPngHeader(bytesOf(dir, 'adam7-rgba16.png'))).toEqual({
      width: 10,
      height: 9,
      bitDepth: 16,
      colorType: 6,
      interlaced: true,
    });
    expect(readJpegHeader(bytesOf(dir, 'progressive.jpg'))).toEqual({
      width: 40,
      height: 33,
      components: 3,
      progressive: true,
    });
    expect(imageFormat(bytesOf(dir, 'gray.jpg'))).toBe('jpeg');
    expect(imageFormat(bytesOf(dir, 'L.png'))).toBe('png');
    expect(imageFormat(new TextEncoder().encode('hello'))).toBeUndefined();
  });
});

/** The DatasetError decoding `file` of `dir` throws. */
function failure(dir: string, file: string, options = {}): DatasetError {
  try {
    decodeImage(bytesOf(dir, file), { name: file, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).source).toBe(file);
    return error as DatasetError;
  }
  throw new Error(`${file} decoded`);
}

describe.skipIf(!python)('decodeImage refuses broken and hostile files, naming them', () => {
  const dir = tempFolder('decode-bad');
  let pngSize = 0;
  let jpegSize = 0;
  beforeAll(() => {
    const good: PictureSpec[] = [
      { path: 'good.png', mode: 'RGB', width: 40, height: 30, pattern: 'noise' },
      { path: 'good.jpg', mode: 'RGB', format: 'JPEG', width: 40, height: 30, pattern: 'noise' },
    ];
    makePictures(dir, good);
    pngSize = bytesOf(dir, 'good.png').length;
    jpegSize = bytesOf(dir, 'good.jpg').length;
    const png = { mode: 'RGB', width: 40, height: 30, pattern: 'noise' as const };
    const jpg = {
      mode: 'RGB',
      format: 'JPEG' as const,
      width: 40,
      height: 30,
      pattern: 'noise' as const,
    };
    makePictures(dir, [
      { path: 'header-cut.png', ...png, truncate: 20 },
      { path: 'idat-cut.png', ...png, truncate: Math.floor(pngSize / 2) },
      { path: 'no-iend.png', ...png, truncate: pngSize - 12 },
      { path: 'crc.png', ...png, flip: 60 },
      // 4 MB of file inflating to 4 GiB, for a 100×100 grey picture (10 KB).
      { path: 'bomb.png', kind: 'bomb-png', width: 100, height: 100, mebibytes: 4096 },
      { path: 'huge.png', kind: 'claimed-png', width: 20000, height: 20000 },
      { path: 'wide.png', kind: 'claimed-png', width: 100000, height: 1 },
      { path: 'half.jpg', ...jpg, truncate: Math.floor(jpegSize / 2) },
      { path: 'headers-only.jpg', ...jpg, truncate: 300 },
      { path: 'huge.jpg', ...jpg, claimSize: [20000, 20000] },
      { path: 'text.png', kind: 'bytes', hex: Buffer.from('not a picture').toString('hex') },
      { path: 'empty.jpg', kind: 'bytes', hex: '' },
    ]);
  });

  it.each([
    [
      'header-cut.png',
      /header-cut\.png: is truncated: 20 bytes end inside its header; expected a PNG/,
    ],
    ['idat-cut.png', /idat-cut\.png: is truncated: chunk IDAT at byte \d+ needs \d+ bytes/],
    ['no-iend.png', /no-iend\.png: is truncated: it ends after \d+ bytes, before its IEND chunk/],
    ['crc.png', /crc\.png: is corrupt: chunk IDAT at byte 33 fails its CRC check/],
    ['bomb.png', /bomb\.png: holds more image data than its 100×100 header declares/],
    [
      'huge.png',
      /huge\.png: its PNG header declares 20000×20000 pixels; the most accepted is 16384 a side and 100000000 in all \(maxImageSide, maxImagePixels\)/,
    ],
    ['wide.png', /wide\.png: its PNG header declares 100000×1 pixels/],
    ['half.jpg', /half\.jpg: is truncated: no end-of-image marker after its image data/],
    ['headers-only.jpg', /headers-only\.jpg: is truncated/],
    ['huge.jpg', /huge\.jpg: its JPEG header declares 20000×20000 pixels/],
    [
      'text.png',
      /text\.png: not a PNG or JPEG \(it starts with 6e 6f 74 20 61 20 70 69\); expected a PNG or JPEG file/,
    ],
    ['empty.jpg', /empty\.jpg: not a PNG or JPEG \(it is empty\)/],
  ])('%s', (file, message) => {
    const start = performance.now();
    expect(failure(dir, file).message).toMatch(message);
    // The bomb and the huge headers fail before anything large is inflated or allocated.
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('applies lower limits when asked', () => {
    expect(failure(dir, 'good.png', { maxImageSide: 32 }).message).toMatch(
      /good\.png: its PNG header declares 40×30 pixels; the most accepted is 32 a side/,
    );
    expect(failure(dir, 'good.jpg', { maxImagePixels: 1000 }).message).toMatch(
      /good\.jpg: its JPEG header declares 40×30 pixels; the most accepted is 16384 a side and 1000 in all/,
    );
  });

  it('takes a JPEG with bytes after its end marker, as cameras write them', () => {
    const bytes = bytesOf(dir, 'good.jpg');
    const padded = new Uint8Array(bytes.length + 100);
    padded.set(bytes);
    expect(decodeImage(padded).shape).toEqual([30, 40, 3]);
  });
});
