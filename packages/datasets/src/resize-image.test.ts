import { beforeAll, describe, expect, it } from 'vitest';
import {
  bytesOf,
  makePictures,
  maxAbsDiff,
  type PictureSpec,
  python,
  type RefSpec,
  tempFolder,
  warnIfNoPython,
} from '../test/pictures.js';
import { DatasetError } from './errors.js';
import { cropBox, padBox, resizeImage } from './resize-image.js';

warnIfNoPython('resize-image.test.ts');

describe('resizeImage by hand', () => {
  it('keeps a picture of the target size as it is', () => {
    const data = Uint8Array.from({ length: 5 * 7 * 3 }, (_, i) => (i * 37) % 256);
    expect(Array.from(resizeImage({ data, shape: [5, 7, 3] }, [5, 7]).data)).toEqual(
      Array.from(data),
    );
  });

  it('samples at half-pixel centres, clamping at the edges (TensorFlow, not align_corners)', () => {
    // 1×2 → 1×4: output column j looks at (j + 0.5) / 2 − 0.5 = −0.25, 0.25, 0.75, 1.25.
    const out = resizeImage({ data: Uint8Array.of(0, 100), shape: [1, 2] }, [1, 4]);
    expect(Array.from(out.data)).toEqual([0, 25, 75, 100]);
    expect(out.shape).toEqual([1, 4]);
    // 2×2 → 1×1 looks at the middle: the mean; 4×4 → 2×2 at 0.5 and 2.5 (no antialiasing).
    expect(
      Array.from(resizeImage({ data: Uint8Array.of(0, 10, 20, 31), shape: [2, 2] }, [1, 1]).data),
    ).toEqual([15]);
    const ramp = Uint8Array.from({ length: 16 }, (_, i) => i * 10);
    expect(Array.from(resizeImage({ data: ramp, shape: [4, 4] }, [2, 2]).data)).toEqual([
      25, 45, 105, 125,
    ]);
  });

  it('gives float32 for float input, unrounded', () => {
    const out = resizeImage({ data: Float32Array.of(0, 1), shape: [1, 2, 1] }, [1, 4]);
    expect(out.data).toBeInstanceOf(Float32Array);
    expect(Array.from(out.data)).toEqual([0, 0.25, 0.75, 1]);
    expect(out.shape).toEqual([1, 4, 1]);
  });

  it("computes Keras's crop window and TensorFlow's padding box", () => {
    // smart_resize's docstring: a (340, 500) picture to (200, 200) keeps a centred 340 × 340.
    expect(cropBox(340, 500, [200, 200])).toEqual({ top: 0, left: 80, height: 340, width: 340 });
    expect(cropBox(500, 340, [100, 200])).toEqual({ top: 165, left: 0, height: 170, width: 340 });
    // 100 × 200 into 50 × 50: resized to 25 × 50 and centred, 12 rows of zeros above.
    expect(padBox(100, 200, [50, 50])).toEqual({ top: 12, left: 0, height: 25, width: 50 });
    // A side TF would shrink to no pixel keeps one.
    expect(padBox(1, 5000, [8, 8])).toEqual({ top: 3, left: 0, height: 1, width: 8 });
  });

  it('pads with zeros around the resized picture', () => {
    const white = new Uint8Array(2 * 4).fill(255);
    const out = resizeImage({ data: white, shape: [2, 4] }, [4, 4], { padToAspectRatio: true });
    expect(Array.from(out.data)).toEqual([
      0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0,
    ]);
  });

  it('names what is wrong', () => {
    const image = { data: new Uint8Array(6), shape: [2, 3] };
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        expect(error).toBeInstanceOf(DatasetError);
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(message(() => resizeImage(image, [0, 3]))).toMatch(
      /resizeImage: size must be \[height, width\], two integers/,
    );
    expect(message(() => resizeImage(image, [2.5, 3] as never))).toMatch(/size must be/);
    expect(message(() => resizeImage({ data: new Uint8Array(5), shape: [2, 3] }, [4, 4]))).toMatch(
      /resizeImage: image must be \[h, w\] or \[h, w, c\] with data of that size, got shape \[2, 3\] and 5 values/,
    );
    expect(
      message(() =>
        resizeImage(image, [4, 4], { cropToAspectRatio: true, padToAspectRatio: true }),
      ),
    ).toMatch(/cropToAspectRatio and padToAspectRatio exclude each other/);
  });
});

// Source pictures decoded by Pillow, resized by a numpy transcription of TF's kernel.
const SOURCES: PictureSpec[] = [
  { path: 'rgb.png', mode: 'RGB', width: 61, height: 47, pattern: 'noise', seed: 1 },
  { path: 'gray.png', mode: 'L', width: 33, height: 90, pattern: 'noise', seed: 2 },
  { path: 'rgba.png', mode: 'RGBA', width: 20, height: 20, pattern: 'noise', seed: 3 },
  { path: 'small.png', mode: 'RGB', width: 7, height: 5, pattern: 'noise', seed: 4 },
];
const CASES: {
  file: string;
  mode: 'grayscale' | 'rgb' | 'rgba';
  size: [number, number];
  fit?: 'crop' | 'pad';
}[] = [
  { file: 'rgb.png', mode: 'rgb', size: [20, 30] }, // shrink by non-integer factors
  { file: 'rgb.png', mode: 'rgb', size: [100, 37] }, // taller, narrower
  { file: 'rgb.png', mode: 'rgb', size: [256, 256] },
  { file: 'gray.png', mode: 'grayscale', size: [28, 28] },
  { file: 'rgba.png', mode: 'rgba', size: [13, 50] },
  { file: 'small.png', mode: 'rgb', size: [23, 17] }, // enlarge
  { file: 'rgb.png', mode: 'rgb', size: [32, 32], fit: 'crop' },
  { file: 'gray.png', mode: 'grayscale', size: [40, 60], fit: 'crop' },
  { file: 'rgb.png', mode: 'rgb', size: [32, 32], fit: 'pad' },
  { file: 'gray.png', mode: 'grayscale', size: [50, 50], fit: 'pad' },
  { file: 'small.png', mode: 'rgb', size: [9, 30], fit: 'pad' },
];
const name = (c: (typeof CASES)[number]) =>
  `${c.file}-${c.mode}-${c.size.join('x')}-${c.fit ?? 'plain'}`;

describe.skipIf(!python)('resizeImage against numpy and Pillow', () => {
  const dir = tempFolder('resize');
  beforeAll(() => {
    const refs: RefSpec[] = [
      ...SOURCES.flatMap((s) =>
        (['grayscale', 'rgb', 'rgba'] as const).map((colorMode) => ({
          file: s.path,
          colorMode,
          out: `${s.path}.${colorMode}`,
        })),
      ),
      ...CASES.map((c) => ({
        file: c.file,
        colorMode: c.mode,
        size: c.size,
        fit: c.fit,
        out: name(c),
      })),
      { file: 'small.png', colorMode: 'rgb', size: [23, 17], resampler: 'pil', out: 'small-pil' },
    ];
    makePictures(dir, SOURCES, refs);
  });

  const source = (file: string, mode: string, width: number, height: number) => {
    const data = bytesOf(dir, `${file}.${mode}`);
    return { data, shape: [height, width, data.length / (width * height)] };
  };

  it.each(CASES.map((c) => [name(c), c] as const))(
    '%s matches TensorFlow bilinear exactly',
    (_, c) => {
      const spec = SOURCES.find((s) => s.path === c.file) as PictureSpec;
      const image = source(c.file, c.mode, spec.width as number, spec.height as number);
      const out = resizeImage(image, c.size, {
        cropToAspectRatio: c.fit === 'crop',
        padToAspectRatio: c.fit === 'pad',
      });
      expect(out.shape).toEqual([...c.size, image.shape[2]]);
      expect(maxAbsDiff(out.data, bytesOf(dir, name(c)))).toBe(0);
    },
  );

  it("agrees with Pillow's bilinear within one level when enlarging", () => {
    // Pillow rounds between its horizontal and vertical passes; enlarging it has no antialias.
    const out = resizeImage(source('small.png', 'rgb', 7, 5), [23, 17]);
    expect(maxAbsDiff(out.data, bytesOf(dir, 'small-pil'))).toBeLessThanOrEqual(1);
  });
});
