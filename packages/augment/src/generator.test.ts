import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstMismatch, ramp } from '../test/expect.js';
import { AugmentError } from './errors.js';
import type { FillMode } from './fill-mode.js';
import { ImageDataGenerator } from './generator.js';
import type { TransformParams } from './transform.js';
import { translate } from './translate.js';

const at = (img: { data: ArrayLike<number>; shape: number[] }, r: number, col: number, k = 0) =>
  img.data[(r * img.shape[1] + col) * (img.shape[2] ?? 1) + k];

describe('applyTransform, by definition', () => {
  const gen = (fillMode: FillMode = 'nearest', cval = 0) =>
    new ImageDataGenerator({ fillMode, cval });

  it('is the identity when every range is zero', () => {
    const image = ramp(5, 7, 3);
    const g = new ImageDataGenerator({ seed: 1 });
    expect(firstMismatch(g.randomTransform(image).data, image.data)).toBe(-1);
    expect(g.getRandomTransform([5, 7, 3])).toMatchObject({
      theta: 0,
      tx: 0,
      ty: 0,
      shear: 0,
      zx: 1,
      zy: 1,
    });
  });

  it('theta 90 turns the top row into the right column (clockwise as displayed)', () => {
    const image = ramp(5, 5);
    for (const mode of ['nearest', 'constant'] as const) {
      const out = gen(mode, -1).applyTransform(image, { theta: 90 });
      for (let r = 0; r < 5; r++) {
        for (let c = 0; c < 5; c++) expect(at(out, r, c)).toBe(at(image, 4 - c, r));
      }
      // the top row 1..5 is now the right column, top to bottom
      expect([0, 1, 2, 3, 4].map((r) => at(out, r, 4))).toEqual([1, 2, 3, 4, 5]);
    }
    const rect = ramp(3, 3, 2);
    const half = gen().applyTransform(rect, { theta: 180 });
    expect(at(half, 0, 0, 1)).toBe(at(rect, 2, 2, 1));
  });

  it('an integer shift reads the input at (row + tx, col + ty), each fill mode with its border', () => {
    const image = ramp(4, 5);
    const tx = 2;
    const ty = -1;
    const border: Record<FillMode, (i: number, n: number) => number | null> = {
      constant: (i, n) => (i >= 0 && i < n ? i : null),
      nearest: (i, n) => Math.min(Math.max(i, 0), n - 1),
      reflect: (i, n) => (i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i),
      // scipy's 'wrap' (what Keras uses) repeats with period n − 1
      wrap: (i, n) => (i < 0 ? i + n - 1 : i > n - 1 ? i - (n - 1) : i),
    };
    for (const mode of ['constant', 'nearest', 'reflect', 'wrap'] as const) {
      const out = gen(mode, -7).applyTransform(image, { tx, ty });
      for (let r = 0; r < 4; r++) {
        for (let c = 0; c < 5; c++) {
          const rr = border[mode](r + tx, 4);
          const cc = border[mode](c + ty, 5);
          expect(at(out, r, c), `${mode} at ${r},${c}`).toBe(
            rr === null || cc === null ? -7 : at(image, rr, cc),
          );
        }
      }
    }
  });

  it('a zoom of 2 about the centre samples every second pixel around it', () => {
    const image = ramp(9, 9);
    const out = gen('constant', 0).applyTransform(image, { zx: 2, zy: 2 });
    // output (i, j) reads input (2i − 4, 2j − 4): the centre stays, (3, 3) reads (2, 2)
    expect(at(out, 4, 4)).toBe(at(image, 4, 4));
    expect(at(out, 3, 3)).toBe(at(image, 2, 2));
    expect(at(out, 5, 6)).toBe(at(image, 6, 8));
    expect(at(out, 0, 0)).toBe(0);
    // and a zoom of 0.5 magnifies the central pixels, halfway samples interpolated
    const inward = gen().applyTransform(image, { zx: 0.5, zy: 0.5 });
    expect(at(inward, 4, 4)).toBe(at(image, 4, 4));
    expect(at(inward, 4, 5)).toBe((at(image, 4, 4) + at(image, 4, 5)) / 2);
  });

  it('flips mirror the columns (horizontal) and the rows (vertical)', () => {
    const image = ramp(3, 4, 2);
    const h = gen().applyTransform(image, { flipHorizontal: true });
    const v = gen().applyTransform(image, { flipVertical: true });
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 4; c++) {
        expect(at(h, r, c, 1)).toBe(at(image, r, 3 - c, 1));
        expect(at(v, r, c, 0)).toBe(at(image, 2 - r, c, 0));
      }
    }
  });

  it('constant fill uses cval', () => {
    const out = gen('constant', 42).applyTransform(ramp(4, 4), { ty: 10 });
    expect(Array.from(out.data)).toEqual(new Array(16).fill(42));
  });

  it('brightness scales and keeps 0–255; channel shift stays in the image range', () => {
    const image = { data: Float32Array.from([0, 100, 200, 250]), shape: [2, 2] };
    expect(Array.from(gen().applyTransform(image, { brightness: 1.2 }).data)).toEqual([
      0, 120, 240, 255,
    ]);
    expect(Array.from(gen().applyTransform(image, { channelShiftIntensity: 30 }).data)).toEqual([
      30, 130, 230, 250,
    ]);
  });

  it("the workshop's hand translation t[:24, 4:] = img[4:, :24] is translate(img, 4, −4)", () => {
    const img = {
      data: Uint8Array.from({ length: 28 * 28 }, (_, i) => (i * 37) % 251),
      shape: [28, 28],
    };
    const expected = new Float32Array(28 * 28);
    for (let r = 0; r < 24; r++)
      for (let c = 4; c < 28; c++) expected[r * 28 + c] = img.data[(r + 4) * 28 + (c - 4)];
    const out = translate(img, 4, -4);
    expect(out.shape).toEqual([28, 28]);
    expect(firstMismatch(out.data, expected)).toBe(-1);
  });
});

describe("matches Keras's formulas through scipy.ndimage", () => {
  const fixture = JSON.parse(
    readFileSync(new URL('../test/fixtures/scipy-affine-cases.json', import.meta.url), 'utf8'),
  ) as {
    scipy: string;
    cases: {
      params: Partial<TransformParams>;
      fillMode: FillMode;
      cval: number;
      shape: number[];
      image: number[];
      expected: number[];
    }[];
  };
  it.each(
    fixture.cases.map(
      (c) => [`${JSON.stringify(c.params)} ${c.fillMode} ${c.shape.join('×')}`, c] as const,
    ),
  )('%s', (_name, c) => {
    const g = new ImageDataGenerator({ fillMode: c.fillMode, cval: c.cval });
    const out = g.applyTransform({ data: Float64Array.from(c.image), shape: c.shape }, c.params);
    // float32 output against float64 scipy: agree to float32 precision
    expect(firstMismatch(out.data, c.expected, 1e-4)).toBe(-1);
  });
});

describe('getRandomTransform', () => {
  it('draws within the ranges with Keras meanings', () => {
    const g = new ImageDataGenerator({
      rotationRange: 40,
      widthShiftRange: 0.2,
      heightShiftRange: 3,
      shearRange: 10,
      zoomRange: 0.1,
      seed: 3,
    });
    let sawNegative = false;
    for (let i = 0; i < 500; i++) {
      const p = g.getRandomTransform([28, 20, 1]);
      expect(Math.abs(p.theta)).toBeLessThanOrEqual(40);
      expect(Math.abs(p.ty)).toBeLessThanOrEqual(0.2 * 20); // a fraction of the width
      expect(Math.abs(p.tx)).toBeLessThanOrEqual(3); // pixels
      expect(Math.abs(p.shear)).toBeLessThanOrEqual(10);
      for (const z of [p.zx, p.zy]) expect(z >= 0.9 && z <= 1.1).toBe(true);
      if (p.theta < 0) sawNegative = true;
    }
    expect(sawNegative).toBe(true);
  });

  it('takes a list of allowed shifts and draws their sign', () => {
    const g = new ImageDataGenerator({ widthShiftRange: [2, 5], seed: 9 });
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(g.getRandomTransform([10, 10]).ty);
    expect([...seen].sort((a, b) => a - b)).toEqual([-5, -2, 2, 5]);
  });

  it('is reproducible from a seed', () => {
    const g = new ImageDataGenerator({
      rotationRange: 30,
      horizontalFlip: true,
      brightnessRange: [0.5, 1.5],
    });
    expect(g.getRandomTransform([8, 8], 11)).toEqual(g.getRandomTransform([8, 8], 11));
    expect(g.getRandomTransform([8, 8], 11)).not.toEqual(g.getRandomTransform([8, 8], 12));
  });
});

describe('fit and standardize', () => {
  it('featurewise centring and normalisation give each channel mean 0 and std 1', () => {
    const n = 20;
    const data = Float32Array.from({ length: n * 4 * 4 * 2 }, (_, i) =>
      i % 2 === 0 ? 10 + (i % 7) : 200 - (i % 13) * 3,
    );
    const x = { data, shape: [n, 4, 4, 2] };
    const g = new ImageDataGenerator({
      featurewiseCenter: true,
      featurewiseStdNormalization: true,
      rescale: 1 / 255,
    });
    g.fit(x);
    const out = Float32Array.from(data);
    g.standardize(out, 2);
    for (const k of [0, 1]) {
      const values = Array.from(out).filter((_, i) => i % 2 === k);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
      expect(mean).toBeCloseTo(0, 5);
      expect(std).toBeCloseTo(1, 3);
    }
  });

  it('samplewise options centre and scale each image on its own', () => {
    const g = new ImageDataGenerator({ samplewiseCenter: true, samplewiseStdNormalization: true });
    const out = g.standardize(Float32Array.from([1, 2, 3, 6]), 1);
    const mean = out.reduce((a, b) => a + b, 0) / 4;
    expect(mean).toBeCloseTo(0, 6);
    expect(Math.sqrt(out.reduce((a, b) => a + b * b, 0) / 4)).toBeCloseTo(1, 5);
  });
});

describe('bad input gets an AugmentError naming the option', () => {
  it.each([
    [
      'a negative rotation range',
      () => new ImageDataGenerator({ rotationRange: -5 }),
      /rotationRange is -5/,
    ],
    [
      'a negative shift',
      () => new ImageDataGenerator({ widthShiftRange: [-1] }),
      /widthShiftRange/,
    ],
    [
      'a zoom range reaching 0',
      () => new ImageDataGenerator({ zoomRange: 1 }),
      /allows a zoom of 0/,
    ],
    [
      'a zoom pair below 0',
      () => new ImageDataGenerator({ zoomRange: [-0.5, 1] }),
      /zooms must be > 0/,
    ],
    [
      'an unknown fill mode',
      () => new ImageDataGenerator({ fillMode: 'mirror' as 'wrap' }),
      /fillMode is "mirror"/,
    ],
    [
      'a reversed brightness range',
      () => new ImageDataGenerator({ brightnessRange: [2, 1] }),
      /brightnessRange/,
    ],
    [
      'an image of rank 4',
      () =>
        new ImageDataGenerator().applyTransform(
          { data: new Float32Array(8), shape: [1, 2, 2, 2] },
          {},
        ),
      /rank 4/,
    ],
    [
      'featurewise without fit',
      () => new ImageDataGenerator({ featurewiseCenter: true }).standardize(new Float32Array(4), 1),
      /call fit\(x\) first/,
    ],
  ])('%s', (_what, call, message) => {
    expect(call).toThrow(AugmentError);
    expect(call).toThrow(message);
  });
});
