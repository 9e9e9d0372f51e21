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

const cases = [
  { name: '[5, 7] x [7, 3]', a: [5, 7], b: [7, 3], ta: false, tb: false },
  { name: 'transposed a', a: [7, 5], b: [7, 3], ta: true, tb: false },
  { name: 'transposed b', a: [5, 7], b: [3, 7], ta: false, tb: true },
  { name: 'both transposed', a: [7, 5], b: [3, 7], ta: true, tb: true },
  { name: 'batched [3, 4, 5] x [3, 5, 6]', a: [3, 4, 5], b: [3, 5, 6], ta: false, tb: false },
  { name: 'a shared by the batch', a: [1, 4, 5], b: [3, 5, 6], ta: false, tb: false },
  { name: 'b of rank 2 shared by the batch', a: [3, 4, 5], b: [5, 6], ta: false, tb: false },
  { name: 'rank 4, both transposed', a: [2, 3, 5, 4], b: [2, 3, 2, 5], ta: true, tb: true },
  { name: 'large enough to be threaded', a: [257, 300], b: [300, 130], ta: false, tb: false },
  { name: 'batched, threaded by matrices', a: [8, 100, 90], b: [8, 90, 80], ta: false, tb: false },
  { name: 'a dense layer backward shape', a: [64, 576], b: [64, 64], ta: true, tb: false },
];

describe('BatchMatMul', () => {
  it.each(cases)('$name', async (c) => {
    const spy = vi.spyOn(requireNative(), 'batchMatMul');
    await expectSameOnBothBackends(() =>
      tf.matMul(randomTensor(c.a, 1), randomTensor(c.b, 2), c.ta, c.tb),
    );
    expect(spy).toHaveBeenCalled();
  });

  it('int32 stays on the cpu kernel, exactly', async () => {
    const spy = vi.spyOn(requireNative(), 'batchMatMul');
    await expectSameOnBothBackends(
      () =>
        tf.matMul(
          tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32'),
          tf.tensor2d([1, 0, 2, 1, 0, 3], [3, 2], 'int32'),
        ),
      0,
    );
    expect(spy).not.toHaveBeenCalled();
  });

  it('gradients of both operands', async () => {
    await expectSameOnBothBackends(() => {
      const loss = (a: tf.Tensor, b: tf.Tensor) => {
        const y = tf.matMul(a, b, false, true);
        return tf.sum(tf.mul(y, randomTensor(y.shape, 3)));
      };
      return tf.grads(loss)([randomTensor([9, 13], 4), randomTensor([6, 13], 5)]);
    });
  });
});

describe('_FusedMatMul', () => {
  it.each([
    ['relu with a per-column bias', 'relu', [6]],
    ['relu6 with a [1, n] bias', 'relu6', [1, 6]],
    ['leakyrelu with a scalar bias', 'leakyrelu', []],
    ['linear without bias', 'linear', null],
  ] as const)('%s runs natively', async (_name, activation, biasShape) => {
    const spy = vi.spyOn(requireNative(), 'batchMatMul');
    await expectSameOnBothBackends(() =>
      tf.fused.matMul({
        a: randomTensor([11, 9], 6),
        b: randomTensor([6, 9], 7),
        transposeB: true,
        bias: biasShape ? randomTensor([...biasShape], 8) : undefined,
        activation,
        leakyreluAlpha: 0.15,
      }),
    );
    expect(spy).toHaveBeenCalled();
  });

  it('batched, with a bias per column', async () => {
    await expectSameOnBothBackends(() =>
      tf.fused.matMul({
        a: randomTensor([3, 4, 5], 9),
        b: randomTensor([3, 5, 6], 10),
        bias: randomTensor([6], 11),
        activation: 'relu',
      }),
    );
  });

  it.each([
    ['sigmoid', 'sigmoid', [6]],
    ['a bias per row', 'relu', [11, 1]],
  ] as const)(
    '%s falls back to the cpu kernel and matches',
    async (_name, activation, biasShape) => {
      const spy = vi.spyOn(requireNative(), 'batchMatMul');
      await expectSameOnBothBackends(() =>
        tf.fused.matMul({
          a: randomTensor([11, 9], 12),
          b: randomTensor([9, 6], 13),
          bias: randomTensor([...biasShape], 14),
          activation,
        }),
      );
      expect(spy).not.toHaveBeenCalled();
    },
  );
});
