import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  relativeError,
  seededValues,
  sizeOf,
  useBackend,
  wasmBackend,
} from '../../test/wasm-helpers.js';

interface PoolCase {
  name: string;
  x: [number, number, number, number];
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  /** Values rounded to halves: many equal maxima in a window. */
  ties?: boolean;
}

const cases: PoolCase[] = [
  {
    name: 'workshop pool 1 (2×2 / 2, valid)',
    x: [2, 26, 26, 32],
    filterSize: 2,
    strides: 2,
    pad: 'valid',
  },
  {
    name: 'odd size leaves a row unused',
    x: [3, 11, 11, 5],
    filterSize: 2,
    strides: 2,
    pad: 'valid',
  },
  { name: 'batch 1, one channel, same', x: [1, 7, 9, 1], filterSize: 2, strides: 2, pad: 'same' },
  { name: 'overlapping 3×3 / 2, same', x: [2, 9, 8, 3], filterSize: 3, strides: 2, pad: 'same' },
  { name: 'overlapping 3×3 / 1, valid', x: [2, 8, 7, 4], filterSize: 3, strides: 1, pad: 'valid' },
  {
    name: 'rectangular window',
    x: [2, 9, 10, 3],
    filterSize: [2, 3],
    strides: [2, 1],
    pad: 'same',
  },
  { name: 'numeric padding', x: [1, 6, 6, 2], filterSize: 3, strides: 2, pad: 1 },
  { name: 'ties, 2×2 / 2', x: [2, 10, 10, 6], filterSize: 2, strides: 2, pad: 'valid', ties: true },
  {
    name: 'ties, 3×3 / 2, same',
    x: [2, 9, 9, 4],
    filterSize: 3,
    strides: 2,
    pad: 'same',
    ties: true,
  },
];

function inputValues(c: PoolCase): Float32Array {
  const values = seededValues(sizeOf(c.x), 21);
  if (c.ties) {
    // Halves after a relu: most windows hold several zeros or equal values.
    return values.map((v) => Math.max(0, Math.round(v * 2) / 2));
  }
  return values;
}

async function maxPoolGradOn(backend: 'cpu' | 'wasm', c: PoolCase, x: Float32Array) {
  await useBackend(backend);
  return tf.tidy(() => {
    const input = tf.tensor4d(x, c.x);
    const output = tf.maxPool(input, c.filterSize, c.strides, c.pad);
    const dy = tf.tensor(seededValues(output.size, 22), output.shape);
    const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
    const dx = tf.engine().runKernel('MaxPoolGrad', { dy, input, output }, attrs) as tf.Tensor;
    const viaGrad = tf.grad((t) =>
      tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, c.filterSize, c.strides, c.pad), dy)),
    )(input);
    return { dx: dx.dataSync(), viaGrad: viaGrad.dataSync(), shape: dx.shape };
  });
}

describe('wasm MaxPoolGrad against the cpu backend', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const x = inputValues(c);
      const expected = await maxPoolGradOn('cpu', c, x);
      const backend = await wasmBackend();
      const ids = backend.numDataIds();
      const actual = await maxPoolGradOn('wasm', c, x);
      expect(actual.shape).toEqual(c.x);
      // Each dy value lands on the same position as on cpu; only where windows overlap may the
      // sums at one position be added in another order.
      expect(relativeError(actual.dx, expected.dx)).toBeLessThan(1e-6);
      expect(relativeError(actual.viaGrad, expected.viaGrad)).toBeLessThan(1e-6);
      expect(backend.numDataIds()).toBe(ids);
    });
  }
});
