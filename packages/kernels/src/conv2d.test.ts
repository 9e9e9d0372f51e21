import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomNested, referenceConv2d, testRandom, toNested } from '../test/reference.js';
import { conv2d } from './conv2d.js';
import { correlate2d } from './convolve2d.js';
import { KernelError } from './errors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** TensorFlow.js's own conv2d on one channel and one filter: an independent implementation. */
function tfConv(
  image: number[][],
  kernel: number[][],
  padding: 'valid' | 'same',
  s: number,
  d: number,
) {
  return tf.tidy(() => {
    const x = tf.tensor4d(image.flat(), [1, image.length, image[0].length, 1]);
    const k = tf.tensor4d(kernel.flat(), [kernel.length, kernel[0].length, 1, 1]);
    const y = tf.conv2d(x, k, s, padding, 'NHWC', d);
    const [, h, w] = y.shape;
    const values = y.dataSync();
    return Array.from({ length: h }, (_, r) =>
      Array.from({ length: w }, (_, c) => values[r * w + c]),
    );
  });
}

describe('conv2d, what a Conv2D layer computes', () => {
  const random = testRandom(77);
  const cases: [number, number, number, number][] = [
    [28, 28, 3, 3],
    [13, 10, 3, 2],
    [9, 12, 5, 5],
    [8, 8, 2, 2],
    [7, 11, 4, 3],
  ];
  for (const [H, W, K, L] of cases) {
    for (const padding of ['valid', 'same'] as const) {
      it(`matches tfjs: ${H}×${W} by ${K}×${L}, ${padding}, strides 1–3, dilation 1–2`, () => {
        const image = randomNested(H, W, random, false);
        const kernel = randomNested(K, L, random, false);
        for (const [s, d] of [
          [1, 1],
          [2, 1],
          [3, 1],
          [1, 2],
        ]) {
          const expected = tfConv(image, kernel, padding, s, d);
          const out = conv2d(image, kernel, { padding, strides: s, dilation: d });
          expect(out.shape).toEqual([expected.length, expected[0].length]);
          toNested(out).forEach((row, r) => {
            row.forEach((v, c) => {
              expect(v).toBeCloseTo(expected[r][c], 4);
            });
          });
        }
      });
    }
  }

  it('matches the reference with strides and dilation together and per axis', () => {
    const image = randomNested(17, 15, random, true);
    const kernel = randomNested(3, 4, random, true);
    for (const padding of ['valid', 'same'] as const) {
      for (const [strides, dilation] of [
        [
          [2, 3],
          [2, 1],
        ],
        [
          [3, 2],
          [2, 2],
        ],
      ] as [number, number][][]) {
        const out = conv2d(image, kernel, {
          padding,
          strides: strides as [number, number],
          dilation: dilation as [number, number],
        });
        expect(toNested(out)).toEqual(
          referenceConv2d(
            image,
            kernel,
            padding,
            strides as [number, number],
            dilation as [number, number],
          ),
        );
      }
    }
  });

  it("has Keras's output sizes: valid ceil((n − k + 1) / s), same ceil(n / s)", () => {
    const image = { data: new Float64Array(28 * 28), shape: [28, 28] };
    const k3 = { data: new Float64Array(9), shape: [3, 3] };
    expect(conv2d(image, k3).shape).toEqual([26, 26]);
    expect(conv2d(image, k3, { strides: 2 }).shape).toEqual([13, 13]);
    expect(conv2d(image, k3, { strides: 3 }).shape).toEqual([9, 9]);
    expect(conv2d(image, k3, { padding: 'same', strides: 3 }).shape).toEqual([10, 10]);
    expect(conv2d(image, k3, { dilation: 2 }).shape).toEqual([24, 24]);
  });

  it('with stride 1 and valid padding equals correlate2d valid; flip makes it a convolution', () => {
    const image = randomNested(6, 7, random, true);
    const kernel = randomNested(3, 2, random, true);
    expect(toNested(conv2d(image, kernel))).toEqual(
      toNested(correlate2d(image, kernel, { mode: 'valid' })),
    );
    const flipped = kernel.map((row) => [...row].reverse()).reverse();
    expect(toNested(conv2d(image, kernel, { flip: true }))).toEqual(
      toNested(conv2d(image, flipped)),
    );
  });

  it('rejects strides and dilation below 1, unknown padding, a kernel that does not fit', () => {
    expect(() => conv2d([[1, 2]], [[1]], { strides: 0 })).toThrow(KernelError);
    expect(() => conv2d([[1, 2]], [[1]], { strides: 0 })).toThrow(
      /strides is 0; expected a positive integer/,
    );
    expect(() => conv2d([[1, 2]], [[1]], { dilation: [1, 0.5] })).toThrow(/dilation is \[1,0\.5\]/);
    expect(() => conv2d([[1, 2]], [[1]], { padding: 'full' as 'same' })).toThrow(
      /padding is "full"/,
    );
    expect(() => conv2d([[1, 2]], [[1, 1, 1]])).toThrow(/kernel spans 1×3 .* image is 1×2/);
  });
});
