// The animation's steps against the functions the filters section computes its output with:
// every sum the window makes is the value convolve2d (stride 1) or conv2d (strides) gives there.

import { seededRandom } from '@cnnlab/datasets';
import { conv2d, convolve2d } from '@cnnlab/kernels';
import { describe, expect, it } from 'vitest';
import { type SlideMode, slideAll, slidingWindow, windowStep } from './sliding-window';

const WORKED = {
  data: Float64Array.of(2, 3, 4, 2, 4, 0, 1, 4, 1, 1, 1, 1, 0, 7, 2, 3, 2, 3, 1, 1, 1, 2, 0, 2, 8),
  shape: [5, 5] as [number, number],
};
/** Not symmetric under a half turn, so a kernel slid unturned would give other sums. */
const KERNEL = {
  data: Float64Array.of(1, 2, 0, -1, 0, 3, 0, -2, 1),
  shape: [3, 3] as [number, number],
};

function randomMatrix(rows: number, cols: number, random: () => number) {
  return {
    data: Float64Array.from({ length: rows * cols }, () => Math.round(random() * 20 - 10)),
    shape: [rows, cols] as [number, number],
  };
}

describe('slidingWindow', () => {
  it('pads the workshop matrix with the ring each mode needs and turns the kernel', () => {
    const valid = slidingWindow(WORKED, KERNEL, { mode: 'valid' });
    expect([valid.paddedRows, valid.outRows, valid.steps]).toEqual([5, 3, 9]);
    const same = slidingWindow(WORKED, KERNEL, { mode: 'same' });
    expect(same.margins).toEqual({ top: 1, bottom: 1, left: 1, right: 1 });
    expect([same.paddedRows, same.paddedCols, same.outRows, same.outCols]).toEqual([7, 7, 5, 5]);
    const full = slidingWindow(WORKED, KERNEL, { mode: 'full' });
    expect([full.paddedRows, full.outRows]).toEqual([9, 7]);
    // The ring is zeros, the inside the matrix.
    expect(Array.from(same.padded.slice(0, 7))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(same.padded.slice(8, 13))).toEqual([2, 3, 4, 2, 4]);
    expect(Array.from(same.kernel)).toEqual([1, -2, 0, 3, 0, -1, 0, 2, 1]);
  });

  it('shows the products and running sum that make one value', () => {
    const plan = slidingWindow(WORKED, KERNEL, { mode: 'valid' });
    const step = windowStep(plan, 4); // the centre of the 3×3 output
    expect([step.row, step.col, step.top, step.left]).toEqual([1, 1, 1, 1]);
    expect(step.values).toEqual([1, 4, 1, 1, 0, 7, 2, 3, 1]);
    expect(step.products).toEqual([1, -8, 0, 3, 0, -7, 0, 6, 1]);
    expect(step.running).toEqual([1, -7, -7, -4, -4, -11, -11, -5, -4]);
    expect(step.sum).toBe(-4);
    expect(() => windowStep(plan, 9)).toThrow(/outside 0–8/);
  });

  it.each(['valid', 'same', 'full'] as SlideMode[])(
    "sums to scipy's convolve2d '%s' at stride 1, for odd and even kernels",
    (mode) => {
      const random = seededRandom(7);
      for (const [r, c, kr, kc] of [
        [5, 5, 3, 3],
        [6, 9, 3, 3],
        [7, 5, 2, 2],
        [8, 6, 2, 3],
      ] as const) {
        const image = randomMatrix(r, c, random);
        const kernel = randomMatrix(kr, kc, random);
        const plan = slidingWindow(image, kernel, { mode });
        const want = convolve2d(image, kernel, { mode });
        expect([plan.outRows, plan.outCols]).toEqual(want.shape);
        expect(Array.from(slideAll(plan))).toEqual(Array.from(want.data));
      }
    },
  );

  it.each([2, 3])("sums to a Conv2D layer's 'valid' and 'same' output at stride %i", (stride) => {
    const random = seededRandom(stride);
    for (const [r, c] of [
      [5, 5],
      [28, 28],
      [7, 10],
    ] as const) {
      const image = randomMatrix(r, c, random);
      const kernel = randomMatrix(3, 3, random);
      for (const padding of ['valid', 'same'] as const) {
        const plan = slidingWindow(image, kernel, { mode: padding, stride });
        const want = conv2d(image, kernel, { padding, strides: stride, flip: true });
        expect([plan.outRows, plan.outCols]).toEqual(want.shape);
        expect(Array.from(slideAll(plan))).toEqual(Array.from(want.data));
      }
    }
  });

  it('refuses what it cannot slide', () => {
    expect(() => slidingWindow(WORKED, KERNEL, { mode: 'full', stride: 2 })).toThrow(/stride 1/);
    expect(() => slidingWindow(WORKED, KERNEL, { mode: 'valid', stride: 0 })).toThrow(/stride/);
    const tiny = { data: [1, 2, 3, 4], shape: [2, 2] as [number, number] };
    expect(() => slidingWindow(tiny, KERNEL, { mode: 'valid' })).toThrow(/does not fit/);
  });
});
