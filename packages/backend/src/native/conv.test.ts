import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  expectSameOnBothBackends,
  randomTensor,
  requireNative,
} from '../../test/native-helpers.js';

type Pad =
  | 'same'
  | 'valid'
  | number
  | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
  dilations?: number;
}

// Odd sizes, batch 1 and > 1, strides 1 and 2, 'same' / 'valid' / explicit padding, several
// channel counts, the pointwise special case, and the workshop's own layer shapes.
const cases: ConvCase[] = [
  {
    name: '3x3 same, stride 1, batch 1',
    x: [1, 9, 7, 3],
    filter: [3, 3, 3, 5],
    strides: 1,
    pad: 'same',
  },
  {
    name: '3x3 valid, stride 1, batch 3',
    x: [3, 11, 9, 4],
    filter: [3, 3, 4, 8],
    strides: 1,
    pad: 'valid',
  },
  {
    name: '3x3 same, stride 2, odd sizes',
    x: [2, 13, 11, 3],
    filter: [3, 3, 3, 16],
    strides: 2,
    pad: 'same',
  },
  {
    name: '3x3 valid, stride 2, one channel',
    x: [3, 9, 9, 1],
    filter: [3, 3, 1, 6],
    strides: 2,
    pad: 'valid',
  },
  {
    name: '5x3 same, strides [2, 1]',
    x: [2, 10, 7, 2],
    filter: [5, 3, 2, 7],
    strides: [2, 1],
    pad: 'same',
  },
  { name: '1x1 pointwise', x: [2, 5, 6, 8], filter: [1, 1, 8, 3], strides: 1, pad: 'valid' },
  { name: '1x1, stride 2', x: [2, 7, 7, 4], filter: [1, 1, 4, 5], strides: 2, pad: 'same' },
  {
    name: 'explicit padding',
    x: [2, 8, 9, 3],
    filter: [3, 3, 3, 4],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  },
  { name: 'numeric padding, stride 2', x: [1, 6, 6, 2], filter: [3, 3, 2, 2], strides: 2, pad: 1 },
  {
    name: 'stride 2 same, odd sizes, large enough to be threaded',
    x: [4, 33, 31, 16],
    filter: [3, 3, 16, 48],
    strides: 2,
    pad: 'same',
  },
  { name: 'workshop conv 1', x: [3, 28, 28, 1], filter: [3, 3, 1, 32], strides: 1, pad: 'valid' },
  // Patches of at most 32 values into 8, 16, 32 or 64 channels take the direct kernel (no GEMM):
  // its border taps, strides, explicit padding and pixel blocks cut short at a batch's end.
  {
    name: 'direct: RGB into 32, stride 2 same, odd sizes, threaded',
    x: [4, 33, 31, 3],
    filter: [3, 3, 3, 32],
    strides: 2,
    pad: 'same',
  },
  {
    name: 'direct: 5x5 grey into 64, explicit padding',
    x: [3, 9, 8, 1],
    filter: [5, 5, 1, 64],
    strides: 1,
    pad: [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ],
  },
  {
    name: 'direct: 2 channels into 8, one pixel',
    x: [1, 3, 3, 2],
    filter: [3, 3, 2, 8],
    strides: 1,
    pad: 'valid',
  },
  { name: 'workshop conv 2', x: [5, 13, 13, 32], filter: [3, 3, 32, 64], strides: 1, pad: 'valid' },
  { name: 'workshop conv 3', x: [4, 5, 5, 64], filter: [3, 3, 64, 64], strides: 1, pad: 'valid' },
];

const dilated: ConvCase[] = [
  {
    name: 'dilation 2, same',
    x: [2, 12, 11, 3],
    filter: [3, 3, 3, 4],
    strides: 1,
    pad: 'same',
    dilations: 2,
  },
  {
    name: 'dilation 2, valid, batch 1',
    x: [1, 9, 10, 2],
    filter: [3, 3, 2, 5],
    strides: 1,
    pad: 'valid',
    dilations: 2,
  },
  {
    name: 'direct: dilation 2, same, RGB into 16',
    x: [2, 12, 11, 3],
    filter: [3, 3, 3, 16],
    strides: 1,
    pad: 'same',
    dilations: 2,
  },
];

function conv(c: ConvCase, x: tf.Tensor, filter: tf.Tensor): tf.Tensor4D {
  return tf.conv2d(
    x as tf.Tensor4D,
    filter as tf.Tensor4D,
    c.strides,
    c.pad,
    'NHWC',
    c.dilations ?? 1,
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Conv2D', () => {
  it.each([...cases, ...dilated])('$name', async (c) => {
    const spy = vi.spyOn(requireNative(), 'conv2d');
    await expectSameOnBothBackends(() => conv(c, randomTensor(c.x, 1), randomTensor(c.filter, 2)));
    expect(spy).toHaveBeenCalled();
  });

  it('runs NCHW on the cpu kernel and still matches', async () => {
    // tfjs's cpu kernel is the only one with NCHW; the native kernel hands it over.
    const spy = vi.spyOn(requireNative(), 'conv2d');
    await expectSameOnBothBackends(() =>
      tf.conv2d(
        randomTensor([2, 3, 7, 6], 3) as tf.Tensor4D,
        randomTensor([3, 3, 3, 4], 4) as tf.Tensor4D,
        1,
        'same',
        'NCHW',
      ),
    );
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('FusedConv2D', () => {
  const c = cases[2];
  it.each([
    ['relu with a per-channel bias', 'relu', [16]],
    ['linear without bias', 'linear', null],
    ['relu6 with a scalar bias', 'relu6', []],
    ['leakyrelu with a [1, 1, 1, c] bias', 'leakyrelu', [1, 1, 1, 16]],
  ] as const)('%s runs natively', async (_name, activation, biasShape) => {
    const spy = vi.spyOn(requireNative(), 'conv2d');
    await expectSameOnBothBackends(() =>
      tf.fused.conv2d({
        x: randomTensor(c.x, 5) as tf.Tensor4D,
        filter: randomTensor(c.filter, 6) as tf.Tensor4D,
        strides: c.strides,
        pad: c.pad as 'same',
        bias: biasShape ? randomTensor([...biasShape], 7) : undefined,
        activation,
        leakyreluAlpha: 0.3,
      }),
    );
    expect(spy).toHaveBeenCalled();
  });

  it.each([
    ['elu', 'elu'],
    ['sigmoid', 'sigmoid'],
    ['prelu', 'prelu'],
  ] as const)('%s falls back to the cpu kernel and matches', async (_name, activation) => {
    const spy = vi.spyOn(requireNative(), 'conv2d');
    await expectSameOnBothBackends(() =>
      tf.fused.conv2d({
        x: randomTensor(c.x, 5) as tf.Tensor4D,
        filter: randomTensor(c.filter, 6) as tf.Tensor4D,
        strides: c.strides,
        pad: 'same',
        bias: randomTensor([16], 7),
        activation,
        preluActivationWeights: activation === 'prelu' ? randomTensor([16], 8) : undefined,
      }),
    );
    expect(spy).not.toHaveBeenCalled();
  });

  it('dilated with bias and relu', async () => {
    const d = dilated[0];
    await expectSameOnBothBackends(() =>
      tf.fused.conv2d({
        x: randomTensor(d.x, 9) as tf.Tensor4D,
        filter: randomTensor(d.filter, 10) as tf.Tensor4D,
        strides: 1,
        pad: 'same',
        dilations: 2,
        bias: randomTensor([4], 11),
        activation: 'relu',
      }),
    );
  });
});

describe('Conv2DBackpropInput and Conv2DBackpropFilter (tf.grads of conv2d)', () => {
  it.each(cases)('$name', async (c) => {
    const addon = requireNative();
    const input = vi.spyOn(addon, 'conv2dBackpropInput');
    const filter = vi.spyOn(addon, 'conv2dBackpropFilter');
    await expectSameOnBothBackends(() => {
      const loss = (x: tf.Tensor, w: tf.Tensor) => {
        const y = conv(c, x, w);
        return tf.sum(tf.mul(y, randomTensor(y.shape, 12)));
      };
      return tf.grads(loss)([randomTensor(c.x, 13), randomTensor(c.filter, 14)]);
    });
    expect(input).toHaveBeenCalled();
    expect(filter).toHaveBeenCalled();
  });

  it('of a fused (linear, biased) convolution, bias gradient included', async () => {
    const c = cases[4];
    await expectSameOnBothBackends(() => {
      const loss = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => {
        const y = tf.fused.conv2d({
          x: x as tf.Tensor4D,
          filter: w as tf.Tensor4D,
          strides: c.strides,
          pad: 'same',
          bias: b,
        });
        return tf.sum(tf.mul(y, randomTensor(y.shape, 15)));
      };
      return tf.grads(loss)([
        randomTensor(c.x, 16),
        randomTensor(c.filter, 17),
        randomTensor([7], 18),
      ]);
    });
  });

  it('conv2dTranspose with stride 2 to an odd size', async () => {
    const spy = vi.spyOn(requireNative(), 'conv2dBackpropInput');
    await expectSameOnBothBackends(() =>
      tf.conv2dTranspose(
        randomTensor([2, 5, 4, 6], 19) as tf.Tensor4D,
        randomTensor([3, 3, 3, 6], 20) as tf.Tensor4D,
        [2, 9, 7, 3],
        2,
        'same',
      ),
    );
    expect(spy).toHaveBeenCalled();
  });
});
