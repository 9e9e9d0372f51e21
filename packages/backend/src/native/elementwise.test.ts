import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  expectSameOnBothBackends,
  randomTensor,
  requireNative,
  seededValues,
} from '../../test/native-helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Random values plus the awkward ones: NaN, signed zeros, infinities, subnormals. */
function awkward(size: number, seed: number): tf.Tensor {
  const values = seededValues(size, seed, -3, 3);
  values.set([Number.NaN, -0, 0, -Infinity, Infinity, 1e-40, -1e-40, 2.5, -7]);
  return tf.tensor1d(values);
}

describe('unary kernels, bit-identical to the cpu backend', () => {
  it.each([
    ['Relu', (x: tf.Tensor) => tf.relu(x)],
    ['Relu6', (x: tf.Tensor) => tf.relu6(tf.mul(x, 3))],
    ['LeakyRelu', (x: tf.Tensor) => tf.leakyRelu(x, 0.1)],
    ['Step', (x: tf.Tensor) => tf.step(x)],
    ['Step with alpha', (x: tf.Tensor) => tf.step(x, 0.3)],
    ['Square', (x: tf.Tensor) => tf.square(x)],
    ['Sqrt', (x: tf.Tensor) => tf.sqrt(x)],
    ['Floor', (x: tf.Tensor) => tf.floor(tf.mul(x, 7.3))],
  ])('%s', async (_name, op) => {
    const spy = vi.spyOn(requireNative(), 'unary');
    await expectSameOnBothBackends(() => op(awkward(600_011, 1)), 0);
    expect(spy).toHaveBeenCalled();
  });

  it('the Relu gradient (Step, Cast, Multiply)', async () => {
    await expectSameOnBothBackends(() => {
      const w = randomTensor([7, 9, 5], 2);
      return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.relu(x), w)))(randomTensor([7, 9, 5], 3));
    }, 0);
  });

  it('int32 Relu stays on the cpu kernel', async () => {
    const spy = vi.spyOn(requireNative(), 'unary');
    await expectSameOnBothBackends(() => tf.relu(tf.tensor1d([-2, 0, 3], 'int32')), 0);
    expect(spy).not.toHaveBeenCalled();
  });
});

const ops = [
  ['Add', tf.add],
  ['Sub', tf.sub],
  ['Multiply', tf.mul],
  ['RealDiv', tf.div],
] as const;

// [a, b] shapes: equal, scalars on either side, a bias on the last axis, per-row and middle
// factors, and sizes large enough to be split across threads (in chunks that end anywhere).
const shapes: [string, number[], number[]][] = [
  ['equal shapes', [3, 4, 5], [3, 4, 5]],
  ['scalar on the right', [3, 4, 5], []],
  ['scalar on the left', [], [3, 4, 5]],
  ['bias on the last axis', [2, 5, 6, 7], [7]],
  ['bias on the left', [7], [2, 5, 6, 7]],
  ['per-row factor on the right', [6, 5], [6, 1]],
  ['per-row factor on the left', [6, 1], [6, 5]],
  ['middle axis', [4, 3, 5], [3, 1]],
  ['large enough to be threaded', [800, 801], [801]],
  ['threaded, a scalar, an odd size', [600_011], []],
  ['threaded, a middle axis, chunks ending mid-run', [2, 7, 30_011], [7, 1]],
  ['threaded, per-row factor on the left, odd sizes', [1013, 1], [1013, 331]],
];

describe.each(ops)('%s', (_name, op) => {
  it.each(shapes)('%s, bit-identical', async (_case, aShape, bShape) => {
    const spy = vi.spyOn(requireNative(), 'binary');
    await expectSameOnBothBackends(
      () => op(randomTensor(aShape, 4, 0.5, 2), randomTensor(bShape, 5, 0.5, 2)),
      0,
    );
    expect(spy).toHaveBeenCalled();
  });

  it('both operands broadcast: the cpu kernel, same values', async () => {
    const spy = vi.spyOn(requireNative(), 'binary');
    await expectSameOnBothBackends(() => op(randomTensor([6, 1], 6), randomTensor([1, 5], 7)), 0);
    expect(spy).not.toHaveBeenCalled();
  });

  it('int32 operands: the cpu kernel, same values', async () => {
    const spy = vi.spyOn(requireNative(), 'binary');
    const a = [6, 7, -8, 9];
    await expectSameOnBothBackends(
      () => op(tf.tensor1d(a, 'int32'), tf.tensor1d([2, 3, 4, 5], 'int32')),
      0,
    );
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('Sum', () => {
  it.each([
    ['leading axes (a bias gradient)', [4, 5, 6, 7], [0, 1, 2], false],
    ['the first axis', [4, 5, 6, 7], [0], false],
    ['the last axis', [4, 5, 6, 7], [3], false],
    ['a negative axis, kept', [4, 5, 6, 7], [-1], true],
    ['middle axes', [4, 5, 6, 7], [1, 2], false],
    ['every axis', [4, 5, 6, 7], null, false],
    ['every axis, kept', [4, 5, 6, 7], null, true],
    ['many rows of few columns, threaded', [200_000, 3], [0], false],
    ['many columns, threaded', [1000, 700], [0], false],
    ['long rows, threaded', [700, 1000], [1], false],
  ] as const)('%s', async (_name, shape, axis, keepDims) => {
    const spy = vi.spyOn(requireNative(), 'sum');
    await expectSameOnBothBackends(
      () => tf.sum(randomTensor([...shape], 8), axis === null ? undefined : [...axis], keepDims),
      1e-6,
    );
    expect(spy).toHaveBeenCalled();
  });

  it('axes that are not one run go to the cpu kernel', async () => {
    const spy = vi.spyOn(requireNative(), 'sum');
    await expectSameOnBothBackends(() => tf.sum(randomTensor([4, 5, 6], 9), [0, 2]), 1e-6);
    expect(spy).not.toHaveBeenCalled();
  });

  it('int32 stays on the cpu kernel', async () => {
    await expectSameOnBothBackends(() => tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), 0), 0);
  });
});

describe('Softmax', () => {
  it.each([
    ['a classifier output, 256×10', [256, 10], 1],
    ['wide rows, threaded', [300, 4000], 3],
    ['a rank-3 tensor', [4, 5, 6], 10],
    ['one value a row', [7, 1], 1],
  ] as const)('%s', async (_name, shape, scale) => {
    const spy = vi.spyOn(requireNative(), 'softmax');
    await expectSameOnBothBackends(
      () => tf.softmax(tf.mul(randomTensor([...shape], 4), scale)),
      1e-6,
    );
    expect(spy).toHaveBeenCalled();
  });

  it('carries NaN and infinities as the cpu kernel does', async () => {
    await expectSameOnBothBackends(
      () => tf.softmax(tf.tensor2d([1, Number.NaN, 2, 3, 4, Infinity, -Infinity, 0, 1], [3, 3])),
      0,
    );
  });

  it('its gradient (tfjs composes it from the output) matches too', async () => {
    await expectSameOnBothBackends(() => {
      const w = randomTensor([32, 10], 6);
      return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.softmax(x), w)))(randomTensor([32, 10], 7));
    }, 1e-5);
  });
});
