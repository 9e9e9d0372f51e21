import { describe, expect, it } from 'vitest';
import { toNested } from '../test/reference.js';
import { applyFilters, workshopFilterFigure } from './apply-filters.js';
import { convolve2d } from './convolve2d.js';
import { KernelError } from './errors.js';
import { boxKernel, FILTER_NAMES, FILTERS, gaussianKernel, namedKernel } from './filters.js';
import { separate } from './separable.js';

describe('named kernels', () => {
  it("are the workshop's four, value for value", () => {
    expect(toNested(namedKernel('smoothing'))).toEqual([
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ]);
    expect(toNested(namedKernel('horizontal-edge'))).toEqual([
      [-1, -1, -1],
      [2, 2, 2],
      [-1, -1, -1],
    ]);
    expect(toNested(namedKernel('vertical-edge'))).toEqual([
      [-1, 2, -1],
      [-1, 2, -1],
      [-1, 2, -1],
    ]);
    expect(toNested(namedKernel('edge-detector'))).toEqual([
      [-1, -1, -1],
      [-1, 8, -1],
      [-1, -1, -1],
    ]);
  });

  it('Sobel and Prewitt are transposes of each other along x and y and separable', () => {
    for (const family of ['sobel', 'prewitt'] as const) {
      const x = toNested(namedKernel(`${family}-x`));
      const y = toNested(namedKernel(`${family}-y`));
      expect(y).toEqual(x[0].map((_, c) => x.map((row) => row[c])));
      expect(separate(namedKernel(`${family}-x`).data, 3, 3)).not.toBeNull();
    }
    expect(separate(namedKernel('edge-detector').data, 3, 3)).toBeNull();
  });

  it('edge and Laplacian kernels sum to zero, so flat areas give zero', () => {
    for (const name of [
      'horizontal-edge',
      'vertical-edge',
      'edge-detector',
      'sobel-x',
      'sobel-y',
      'laplacian',
    ] as const) {
      expect(namedKernel(name).data.reduce((a, b) => a + b, 0)).toBe(0);
      const flat = { data: new Float64Array(25).fill(7), shape: [5, 5] };
      expect(Array.from(convolve2d(flat, namedKernel(name), { mode: 'valid' }).data)).toEqual(
        new Array(9).fill(0),
      );
    }
  });

  it('Gaussian: sums to one, symmetric, the exp(−x²/2σ²) profile, OpenCV default sigma', () => {
    const g = gaussianKernel(7, 1.5);
    expect(g.shape).toEqual([7, 7]);
    expect(g.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const m = toNested(g);
    expect(m[0][1]).toBeCloseTo(m[1][0], 15);
    expect(m[6][5]).toBeCloseTo(m[0][1], 15);
    // centre over a neighbour one step away: exp(1 / (2σ²))
    expect(m[3][3] / m[3][4]).toBeCloseTo(Math.exp(1 / (2 * 1.5 * 1.5)), 12);
    // default sigma for size 5 is 0.3·(2 − 1) + 0.8 = 1.1
    const d = toNested(gaussianKernel(5));
    expect(d[2][2] / d[2][3]).toBeCloseTo(Math.exp(1 / (2 * 1.1 * 1.1)), 12);
  });

  it('box of any size is the mean; identity leaves the image unchanged', () => {
    expect(Array.from(boxKernel(4).data)).toEqual(new Array(16).fill(1 / 16));
    const image = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    expect(
      toNested(convolve2d(image, namedKernel('identity', { size: 5 }), { mode: 'same' })),
    ).toEqual(image);
    expect(
      toNested(
        convolve2d(
          [
            [2, 4, 6, 8],
            [2, 4, 6, 8],
          ],
          namedKernel('box', { size: 2 }),
          { mode: 'valid' },
        ),
      ),
    ).toEqual([[3, 5, 7]]);
  });

  it('every name has a description and builds a kernel', () => {
    for (const name of FILTER_NAMES) {
      expect(FILTERS[name].description.length).toBeGreaterThan(10);
      expect(namedKernel(name).data.length).toBeGreaterThan(0);
    }
  });

  it('rejects unknown names and bad sizes', () => {
    expect(() => namedKernel('blur' as 'box')).toThrow(KernelError);
    expect(() => namedKernel('blur' as 'box')).toThrow(
      /unknown filter "blur"; expected one of smoothing/,
    );
    expect(() => namedKernel('identity', { size: 4 })).toThrow(/positive odd integer/);
    expect(() => gaussianKernel(5, 0)).toThrow(/sigma is 0/);
    expect(() => boxKernel(0)).toThrow(/size is 0/);
  });
});

describe('applyFilters and the workshop figure', () => {
  const digit = Array.from({ length: 8 }, (_, r) =>
    Array.from({ length: 8 }, (_, c) => (r === 3 || c === 4 ? 255 : 0)),
  );

  it('returns each result with its kernel and mode', () => {
    const results = applyFilters(digit, [
      'sobel-x',
      { name: 'gaussian', size: 3, sigma: 1 },
      { name: 'smoothing', mode: 'valid' },
    ]);
    expect(results.map((r) => [r.name, r.mode, r.output.shape])).toEqual([
      ['sobel-x', 'same', [8, 8]],
      ['gaussian', 'same', [8, 8]],
      ['smoothing', 'valid', [6, 6]],
    ]);
    expect(toNested(results[0].output)).toEqual(
      toNested(convolve2d(digit, namedKernel('sobel-x'), { mode: 'same' })),
    );
  });

  it("reproduces the workshop's 2×2 figure: original, smoothed (full), horizontal edges, all edges", () => {
    const panels = workshopFilterFigure(digit);
    expect(panels.map((p) => [p.title, p.mode, p.image.shape])).toEqual([
      ['Original', undefined, [8, 8]],
      ['Smoothed', 'full', [10, 10]],
      ['Horizontal Edges', 'same', [8, 8]],
      ['All Edges', 'same', [8, 8]],
    ]);
    // The horizontal-edge kernel answers the horizontal stroke (row 3) most strongly.
    const h = toNested(panels[2].image);
    expect(h[3][0]).toBe(2 * (255 + 255)); // the stroke's row under the weight-2 row; one column is padding
    expect(h[3][0]).toBeGreaterThan(Math.abs(h[0][4]));
  });
});
