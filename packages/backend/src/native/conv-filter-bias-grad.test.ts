// The fused convolution's filter and bias gradient in one native pass, against what the cpu
// backend computes with separate ops: Conv2DBackpropFilter and the sum of dy·step(y).
import { CONV2D_FILTER_BIAS_GRAD, type Conv2DFilterBiasGradAttrs } from '@cnnlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import {
  expectSameOnBothBackends,
  randomTensor,
  requireNative,
} from '../../test/native-helpers.js';

interface GradCase {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number;
  pad: 'same' | 'valid';
  activation: 'relu' | 'linear';
}

const cases: GradCase[] = [
  {
    name: 'workshop conv 1',
    x: [8, 28, 28, 1],
    filter: [3, 3, 1, 32],
    strides: 1,
    pad: 'valid',
    activation: 'relu',
  },
  {
    name: 'workshop conv 2',
    x: [6, 13, 13, 32],
    filter: [3, 3, 32, 64],
    strides: 1,
    pad: 'valid',
    activation: 'relu',
  },
  {
    name: 'workshop conv 3',
    x: [5, 5, 5, 64],
    filter: [3, 3, 64, 64],
    strides: 1,
    pad: 'valid',
    activation: 'relu',
  },
  {
    name: "3x3 'same', stride 2, odd sizes",
    x: [3, 13, 11, 3],
    filter: [3, 3, 3, 16],
    strides: 2,
    pad: 'same',
    activation: 'relu',
  },
  {
    name: '1x1 pointwise',
    x: [2, 5, 6, 8],
    filter: [1, 1, 8, 3],
    strides: 1,
    pad: 'valid',
    activation: 'relu',
  },
  {
    name: 'linear (no mask), batch 1',
    x: [1, 9, 7, 3],
    filter: [3, 3, 3, 5],
    strides: 1,
    pad: 'same',
    activation: 'linear',
  },
  {
    name: 'large enough to be threaded',
    x: [4, 21, 19, 16],
    filter: [3, 3, 16, 48],
    strides: 1,
    pad: 'same',
    activation: 'relu',
  },
  // Patches of at most 32 values into 8, 16, 32 or 64 channels: the direct kernel, no GEMM.
  {
    name: "direct: grey into 8, 'same', stride 2, odd sizes",
    x: [7, 15, 13, 1],
    filter: [3, 3, 1, 8],
    strides: 2,
    pad: 'same',
    activation: 'relu',
  },
  {
    name: 'direct: RGB into 64, linear',
    x: [3, 10, 9, 3],
    filter: [3, 3, 3, 64],
    strides: 1,
    pad: 'valid',
    activation: 'linear',
  },
];

/** y as a relu's output: about half of it zero, the rest positive. */
function reluOutput(shape: number[], seed: number): tf.Tensor {
  return tf.relu(randomTensor(shape, seed));
}

/** [dw, db] by the one-pass kernel on the native backend, by separate ops on the cpu backend. */
function filterBiasGrad(c: GradCase, x: tf.Tensor, dy: tf.Tensor, y: tf.Tensor): tf.Tensor[] {
  if (tf.getBackend() === 'cnnlab-native') {
    const attrs: Conv2DFilterBiasGradAttrs = {
      strides: [c.strides, c.strides],
      pad: c.pad,
      filterShape: c.filter,
      activation: c.activation,
    };
    return tf
      .engine()
      .runKernel(
        CONV2D_FILTER_BIAS_GRAD,
        { x, dy, y },
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor[];
  }
  const dz = c.activation === 'relu' ? tf.mul(dy, tf.step(y)) : dy;
  const dw = tf
    .engine()
    .runKernel(
      tf.Conv2DBackpropFilter,
      { x, dy: dz },
      { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter },
    ) as tf.Tensor;
  return [dw, tf.sum(dz, [0, 1, 2])];
}

describe(CONV2D_FILTER_BIAS_GRAD, () => {
  it.each(cases)('$name', async (c) => {
    const spy = vi.spyOn(requireNative(), 'conv2dBackpropFilterBias');
    await expectSameOnBothBackends(() => {
      const x = randomTensor(c.x, 1);
      const outShape = tf.conv2d(
        x as tf.Tensor4D,
        randomTensor(c.filter, 2) as tf.Tensor4D,
        c.strides,
        c.pad,
      ).shape;
      return filterBiasGrad(c, x, randomTensor(outShape, 3), reluOutput(outShape, 4));
    });
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  // A NaN in y at one pixel and channel: on the GEMM path (1x1 pointwise) and the direct one.
  const nanCases = [
    { name: 'the GEMM path', c: cases[4] as GradCase, y: [2, 5, 6, 3], pixel: 1, channel: 1 },
    {
      name: 'the direct kernel (one channel into 8)',
      c: { ...(cases[0] as GradCase), x: [2, 6, 5, 1], filter: [3, 3, 1, 8] } as GradCase,
      y: [2, 4, 3, 8],
      pixel: 5,
      channel: 6,
    },
  ];
  it.each(nanCases)(
    "keeps tfjs's NaN on $name: a NaN in y makes its channel's gradients NaN, as dy·step(y) does",
    async ({ c, y, pixel, channel }) => {
      const channels = y[3] ?? 0;
      const run = async (backend: 'cpu' | 'cnnlab-native') => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const values = reluOutput(y, 7).dataSync().slice();
          values[pixel * channels + channel] = Number.NaN;
          const [dw, db] = filterBiasGrad(
            c,
            randomTensor(c.x, 5),
            randomTensor(y, 6),
            tf.tensor(values, y),
          );
          return { dw: Array.from(dw?.dataSync() ?? []), db: Array.from(db?.dataSync() ?? []) };
        });
      };
      requireNative();
      const want = await run('cpu');
      const got = await run('cnnlab-native');
      expect(got.db.map(Number.isNaN)).toEqual(
        Array.from({ length: channels }, (_, i) => i === channel),
      );
      expect(got.db.map(Number.isNaN)).toEqual(want.db.map(Number.isNaN));
      expect(got.dw.map(Number.isNaN)).toEqual(want.dw.map(Number.isNaN));
    },
  );

  it('refuses tensors of the wrong shape in one line', async () => {
    requireNative();
    await tf.setBackend('cnnlab-native');
    const c = cases[4] as GradCase;
    expect(() =>
      tf.tidy(() =>
        filterBiasGrad(
          c,
          randomTensor(c.x, 1),
          randomTensor([2, 5, 6, 4], 2),
          reluOutput([2, 5, 6, 4], 3),
        ),
      ),
    ).toThrow(/CnnlabConv2DBackpropFilterBias: expected float32 x, dy and y/);
  });
});
