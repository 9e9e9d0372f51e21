import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { toTensors } from './tfjs.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const split = {
  images: { data: Uint8Array.from({ length: 2 * 2 * 2 }, (_, i) => i * 30), shape: [2, 2, 2] },
  labels: new Uint8Array([2, 0]),
};

describe('toTensors', () => {
  it('gives CNN-ready xs [n, h, w, 1] in [0, 1] and one-hot ys', async () => {
    const { xs, ys } = toTensors(split, { numClasses: 3 });
    expect(xs.shape).toEqual([2, 2, 2, 1]);
    expect(xs.dtype).toBe('float32');
    const values = await xs.data();
    Array.from(values).forEach((v, i) => {
      expect(v).toBeCloseTo((i * 30) / 255, 6);
    });
    expect(ys.shape).toEqual([2, 3]);
    expect(Array.from(await ys.data())).toEqual([0, 0, 1, 1, 0, 0]);
    tf.dispose([xs, ys]);
  });

  it('gives Dense-ready flat xs', () => {
    const { xs, ys } = toTensors(split, { layout: 'flat' });
    expect(xs.shape).toEqual([2, 4]);
    expect(ys.shape).toEqual([2, 3]);
    tf.dispose([xs, ys]);
  });

  it('rejects a split whose counts differ', () => {
    expect(() => toTensors({ ...split, labels: new Uint8Array([1]) })).toThrow(
      /2 images but 1 labels/,
    );
  });
});
