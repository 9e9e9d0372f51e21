import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  expectSameOnBothBackends,
  randomTensor,
  requireNative,
} from '../../test/native-helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Values on a coarse grid, so windows often hold several equal maxima (ties). */
function ties(shape: number[], seed: number): tf.Tensor4D {
  return tf.round(tf.mul(randomTensor(shape, seed), 3)) as tf.Tensor4D;
}

const cases = [
  {
    name: '2x2 stride 2 valid (the workshop)',
    x: [4, 26, 26, 32],
    size: 2,
    strides: 2,
    pad: 'valid',
  },
  {
    name: '2x2 stride 2 valid, odd input, batch 1',
    x: [1, 11, 9, 3],
    size: 2,
    strides: 2,
    pad: 'valid',
  },
  { name: '3x3 stride 2 same', x: [2, 9, 11, 5], size: 3, strides: 2, pad: 'same' },
  {
    name: '3x3 stride 1 same (overlapping windows)',
    x: [3, 7, 8, 4],
    size: 3,
    strides: 1,
    pad: 'same',
  },
  {
    name: '[2, 3] strides [1, 2] valid',
    x: [2, 8, 9, 6],
    size: [2, 3],
    strides: [1, 2],
    pad: 'valid',
  },
  { name: 'explicit padding', x: [2, 6, 7, 2], size: 3, strides: 2, pad: 1 },
  // Windows that never overlap: each pixel's gradient written once, uncovered pixels zeroed.
  {
    name: '2x2 stride 2 same, odd input (padded)',
    x: [2, 7, 9, 3],
    size: 2,
    strides: 2,
    pad: 'same',
  },
  {
    name: '2x2 stride 3 valid (gaps between windows)',
    x: [2, 8, 10, 4],
    size: 2,
    strides: 3,
    pad: 'valid',
  },
  {
    name: '[2, 3] strides [2, 3] explicit padding',
    x: [1, 9, 8, 2],
    size: [2, 3],
    strides: [2, 3],
    pad: 1,
  },
] as const;

describe('MaxPool', () => {
  it.each(cases)('$name, with ties, bit-identical', async (c) => {
    const spy = vi.spyOn(requireNative(), 'maxPool');
    await expectSameOnBothBackends(
      () =>
        tf.maxPool(
          ties([...c.x], 1),
          c.size as [number, number],
          c.strides as [number, number],
          c.pad,
        ),
      0,
    );
    expect(spy).toHaveBeenCalled();
  });
});

describe('MaxPoolGrad', () => {
  it.each(cases)('$name, ties routed to the first maximum', async (c) => {
    const spy = vi.spyOn(requireNative(), 'maxPoolGradWithOutput');
    await expectSameOnBothBackends(() => {
      const loss = (x: tf.Tensor) => {
        const y = tf.maxPool(
          x as tf.Tensor4D,
          c.size as [number, number],
          c.strides as [number, number],
          c.pad,
        );
        return tf.sum(tf.mul(y, randomTensor(y.shape, 2)));
      };
      return tf.grad(loss)(ties([...c.x], 3));
    }, 1e-6);
    expect(spy).toHaveBeenCalled();
  });

  it('zeroes the pixels no window covers, in a recycled (dirty) output array too', async () => {
    // Large enough for the native backend's buffer pool: a native kernel's output of the same
    // size, all ones and freed, comes back as the gradient's array, so a pixel left unwritten
    // would keep its one.
    const shape = [1, 33, 35, 16];
    await expectSameOnBothBackends(() => {
      const x = ties(shape, 4);
      tf.dispose(tf.relu(tf.fill(shape, 1)));
      return tf.grad((t: tf.Tensor) =>
        tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid'), 3)),
      )(x);
    }, 0);
  });

  it('gives nothing to a window holding only -Infinity, like the cpu kernel', async () => {
    await expectSameOnBothBackends(() => {
      const x = tf.tensor4d(
        [-Infinity, -Infinity, 1, -Infinity, -Infinity, 2, -Infinity, -Infinity],
        [1, 2, 4, 1],
      );
      return tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid')))(x);
    }, 0);
  });
});
