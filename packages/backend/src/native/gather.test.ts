// GatherV2 as slice copies on the native backend, against the cpu backend's element-by-element
// kernel: the same values bit for bit, on every axis, for float32 and int32, and the same error.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectSameOnBothBackends, randomTensor, useBackend } from '../../test/native-helpers.js';

const ints = (values: number[], shape?: number[]) => tf.tensor(values, shape, 'int32');

describe('GatherV2', () => {
  it.each([
    ['rows of a data set (axis 0), repeated and unordered', [50, 7, 5], [3, 0, 49, 3, 17], 0],
    ['the middle axis', [4, 9, 6], [8, 1, 1, 0], 1],
    ['the last axis', [3, 4, 10], [9, 0, 5], -1],
    [
      'a 2-D set of indices',
      [12, 3],
      [
        [1, 2],
        [11, 0],
        [5, 5],
      ],
      0,
    ],
    ['no indices', [6, 2], [], 0],
  ] as const)('%s', async (_name, shape, indices, axis) => {
    await expectSameOnBothBackends(
      () =>
        tf.gather(
          randomTensor([...shape], 3),
          tf.tensor(indices as unknown as number[], undefined, 'int32'),
          axis,
        ),
      0,
    );
  });

  it('gathers int32 values (one-hot labels, class ids) exactly', async () => {
    await expectSameOnBothBackends(() => {
      const labels = tf.oneHot(ints([3, 1, 4, 1, 5, 9, 2, 6]), 10);
      const picked = tf.gather(labels, ints([7, 0, 2, 2]));
      expect(picked.dtype).toBe('int32');
      return tf.cast(picked, 'float32');
    }, 0);
  });

  it('hands bool values and batch dimensions to the cpu kernel, with the same results', async () => {
    await expectSameOnBothBackends(
      () =>
        tf.cast(
          tf.gather(tf.tensor([true, false, true, true], [4], 'bool'), ints([3, 1])),
          'float32',
        ),
      0,
    );
    await expectSameOnBothBackends(
      () => tf.gather(randomTensor([2, 5, 3], 4), ints([4, 0, 1, 3], [2, 2]), 1, 1),
      0,
    );
  });

  it('refuses an index out of range as the cpu kernel does', async () => {
    const messages: string[] = [];
    for (const backend of ['cpu', 'cnnlab-native'] as const) {
      await useBackend(backend);
      try {
        tf.tidy(() => tf.gather(randomTensor([5, 2], 1), ints([0, 5])));
        messages.push('no error');
      } catch (error) {
        messages.push((error as Error).message);
      }
    }
    expect(messages[1]).toBe('GatherV2: the index value 5 is not in [0, 4]');
    expect(messages[1]).toBe(messages[0]);
  });
});
