import { describe, expect, it } from 'vitest';
import { randomNested, referenceFilter, testRandom, toNested } from '../test/reference.js';
import { convolve2d, correlate2d } from './convolve2d.js';
import { KernelError } from './errors.js';

const WORKSHOP = [
  [2, 3, 4, 2, 4],
  [0, 1, 4, 1, 1],
  [1, 1, 0, 7, 2],
  [3, 2, 3, 1, 1],
  [1, 2, 0, 2, 8],
];
const EDGE = [
  [-1, -1, -1],
  [-1, 8, -1],
  [-1, -1, -1],
];

describe("the workshop's worked example", () => {
  it("gives −7 at the first 'valid' position and a 3×3 result", () => {
    const out = convolve2d(WORKSHOP, EDGE, { mode: 'valid' });
    expect(out.shape).toEqual([3, 3]);
    // −2 −3 −4 + 8·1 −4 −1 −1 −0 −1·0 … the workshop's sum: 8 − 2 − 3 − 4 − 0 − 4 − 1 − 1 − 0 = −7
    expect(out.data[0]).toBe(-7);
  });

  it("is 5×5 in 'same' mode, the valid part in its centre", () => {
    const same = convolve2d(WORKSHOP, EDGE, { mode: 'same' });
    const valid = toNested(convolve2d(WORKSHOP, EDGE, { mode: 'valid' }));
    expect(same.shape).toEqual([5, 5]);
    const inner = toNested(same)
      .slice(1, 4)
      .map((row) => row.slice(1, 4));
    expect(inner).toEqual(valid);
    // Corner by hand with zero padding: 8·2 − (3 + 0 + 1) = 12.
    expect(same.data[0]).toBe(12);
  });
});

describe('fixed cases computed by hand', () => {
  const image = [
    [1, 2, 3],
    [4, 5, 6],
  ];
  const kernel = [
    [1, 0],
    [0, -1],
  ];

  it('full convolution flips the kernel', () => {
    // out[i][j] = a[i][j] − a[i−1][j−1]
    expect(toNested(convolve2d(image, kernel))).toEqual([
      [1, 2, 3, 0],
      [4, 4, 4, -3],
      [0, -4, -5, -6],
    ]);
  });

  it('full correlation does not', () => {
    // out[i][j] = a[i−1][j−1] − a[i][j]
    expect(toNested(correlate2d(image, kernel))).toEqual([
      [-1, -2, -3, 0],
      [-4, -4, -4, 3],
      [0, 4, 5, 6],
    ]);
  });

  it('valid correlation of a 2×2 kernel', () => {
    expect(toNested(correlate2d(image, kernel, { mode: 'valid' }))).toEqual([[-4, -4]]);
  });

  it('wrap and symm make up the border from the image', () => {
    const row = [[1, 2, 3]];
    const diff = [[1, -1]]; // correlation: a[j] − a[j+1] in 'same' (a[j−1] − a[j] for even kernels)
    expect(toNested(correlate2d(row, diff, { mode: 'same', boundary: 'wrap' }))).toEqual([
      [-1, -1, 2],
    ]);
    expect(toNested(correlate2d(row, diff, { mode: 'same', boundary: 'symm' }))).toEqual([
      [-1, -1, 0],
    ]);
    expect(toNested(correlate2d(row, diff, { mode: 'same', fillValue: 10 }))).toEqual([
      [-1, -1, -7],
    ]);
  });
});

describe('against a plain reference, every mode × boundary', () => {
  const random = testRandom(2026);
  const sizes: [number, number, number, number][] = [
    [7, 9, 3, 3],
    [8, 6, 2, 4],
    [5, 5, 5, 5],
    [6, 7, 4, 1],
    [3, 4, 5, 6],
    [9, 8, 7, 7],
  ];
  for (const [M, N, K, L] of sizes) {
    for (const integers of [true, false]) {
      const image = randomNested(M, N, random, integers);
      const kernel = randomNested(K, L, random, integers);
      for (const fn of ['convolve2d', 'correlate2d'] as const) {
        it(`${fn} ${M}×${N} by ${K}×${L}, ${integers ? 'integers' : 'floats'}`, () => {
          const call = fn === 'convolve2d' ? convolve2d : correlate2d;
          for (const mode of ['full', 'same', 'valid'] as const) {
            for (const boundary of ['fill', 'wrap', 'symm'] as const) {
              const fillValue = boundary === 'fill' ? 1.5 : 0;
              const fits = (M >= K && N >= L) || (K >= M && L >= N);
              if (mode === 'valid' && !fits) continue;
              const expected = referenceFilter(image, kernel, fn, mode, boundary, fillValue);
              for (const method of ['direct', 'separable', 'auto'] as const) {
                const out = call(image, kernel, { mode, boundary, fillValue, method });
                const got = toNested(out);
                expect(out.shape).toEqual([expected.length, expected[0].length]);
                got.forEach((row, r) => {
                  row.forEach((v, c) => {
                    expect(v).toBeCloseTo(expected[r][c], 9);
                  });
                });
              }
            }
          }
        });
      }
    }
  }
});

describe('separable kernels', () => {
  it('take the separable path and agree with the direct one', () => {
    const random = testRandom(5);
    const image = randomNested(30, 40, random, false);
    const column = [1, 4, 6, 4, 1];
    const row = [-1, -2, 0, 2, 1];
    const kernel = column.map((c) => row.map((r) => c * r));
    for (const boundary of ['fill', 'wrap', 'symm'] as const) {
      const direct = convolve2d(image, kernel, { mode: 'same', boundary, method: 'direct' });
      const separable = convolve2d(image, kernel, { mode: 'same', boundary, method: 'separable' });
      direct.data.forEach((v, i) => {
        expect(separable.data[i]).toBeCloseTo(v, 10);
      });
    }
  });
});

describe('inputs and outputs', () => {
  const kernel = [
    [0, 1],
    [2, 3],
  ];
  const nested = [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ];
  const expected = toNested(convolve2d(nested, kernel));

  it('takes Uint8, Float32 and Float64 images with their shape, and [h, w, 1]', () => {
    for (const Type of [Uint8Array, Float32Array, Float64Array]) {
      const image = { data: Type.from(nested.flat()), shape: [3, 3] };
      expect(toNested(convolve2d(image, kernel))).toEqual(expected);
    }
    expect(
      toNested(convolve2d({ data: Uint8Array.from(nested.flat()), shape: [3, 3, 1] }, kernel)),
    ).toEqual(expected);
  });

  it('returns float64 by default and float32 on request', () => {
    expect(convolve2d(nested, kernel).data).toBeInstanceOf(Float64Array);
    const f32 = convolve2d(nested, kernel, { dtype: 'float32' });
    expect(f32.data).toBeInstanceOf(Float32Array);
    expect(toNested(f32)).toEqual(expected);
  });

  it('propagates NaN and Infinity as scipy does, even through zero weights', () => {
    const out = convolve2d([[Number.POSITIVE_INFINITY, 1]], [[0, 1]], { mode: 'valid' });
    // full correlation with the flipped kernel [1, 0]: Inf·1 + 1·0 → Inf; scipy agrees.
    expect(out.data[0]).toBe(Number.POSITIVE_INFINITY);
    const nan = correlate2d([[1, Number.NaN]], [[1, 0]], { mode: 'valid' });
    expect(Number.isNaN(nan.data[0])).toBe(true); // 1·1 + NaN·0
  });
});

describe('bad input gets a KernelError naming the argument', () => {
  it.each([
    ['an empty image', () => convolve2d([], [[1]]), /image is empty/],
    [
      'an empty kernel',
      () => convolve2d([[1]], { data: new Float64Array(0), shape: [0, 3] }),
      /kernel is empty/,
    ],
    [
      'a ragged kernel',
      () => convolve2d([[1]], [[1, 2], [3]]),
      /kernel is ragged: row 1 has 1 values, row 0 has 2/,
    ],
    [
      'a non-number',
      () => convolve2d([[1, 'x' as unknown as number]], [[1]]),
      /image\[0\]\[1\] is "x"/,
    ],
    [
      'shape and data that disagree',
      () => convolve2d({ data: new Uint8Array(5), shape: [2, 3] }, [[1]]),
      /image has shape \[2, 3\] \(6 values\) but its data holds 5/,
    ],
    [
      'a 3-D image',
      () => convolve2d({ data: new Uint8Array(12), shape: [2, 2, 3] }, [[1]]),
      /expected \[h, w\]/,
    ],
    [
      "a 'valid' call where neither fits",
      () => convolve2d([[1, 2, 3, 4]], [[1], [2]], { mode: 'valid' }),
      /one input must be at least as large as the other.*image is 1×4, kernel 2×1/,
    ],
    [
      'an unknown mode',
      () => convolve2d([[1]], [[1]], { mode: 'middle' as 'same' }),
      /mode is "middle"/,
    ],
    [
      'an unknown boundary',
      () => convolve2d([[1]], [[1]], { boundary: 'zero' as 'fill' }),
      /boundary is "zero"/,
    ],
    [
      'an unknown dtype',
      () => convolve2d([[1]], [[1]], { dtype: 'int8' as 'float32' }),
      /dtype is "int8"/,
    ],
  ])('%s', (_what, call, message) => {
    expect(call).toThrow(KernelError);
    expect(call).toThrow(message);
  });
});
