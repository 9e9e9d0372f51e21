import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  relativeError,
  runKernelOn,
  seededValues,
  sizeOf,
  useBackend,
  wasmBackend,
} from '../../test/wasm-helpers.js';
import { BackendError } from '../errors.js';
import type { ConvGradMethod } from './conv-attrs.js';
import { conv2DBackpropFilterBy } from './kernels/Conv2DBackpropFilter.js';
import { conv2DBackpropInputBy } from './kernels/Conv2DBackpropInput.js';

type Pad = 'valid' | 'same' | number | [[0, 0], [number, number], [number, number], [0, 0]];

interface ConvCase {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
  dilations?: number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const cases: ConvCase[] = [
  {
    name: 'batch 1, one channel, valid',
    x: [1, 7, 7, 1],
    filter: [3, 3, 1, 4],
    strides: 1,
    pad: 'valid',
  },
  {
    name: 'odd sizes, stride 2, same',
    x: [2, 9, 8, 3],
    filter: [3, 3, 3, 5],
    strides: 2,
    pad: 'same',
  },
  {
    name: 'odd sizes, stride 2, valid',
    x: [3, 10, 11, 4],
    filter: [3, 3, 4, 6],
    strides: 2,
    pad: 'valid',
  },
  {
    name: '2×2 filter, stride 2, same',
    x: [1, 6, 5, 2],
    filter: [2, 2, 2, 3],
    strides: 2,
    pad: 'same',
  },
  { name: '5×5 filter, same', x: [2, 9, 9, 3], filter: [5, 5, 3, 4], strides: 1, pad: 'same' },
  {
    name: '2×3 filter, strides [1, 2], same',
    x: [2, 7, 9, 3],
    filter: [2, 3, 3, 2],
    strides: [1, 2],
    pad: 'same',
  },
  { name: 'numeric padding', x: [2, 8, 8, 2], filter: [3, 3, 2, 3], strides: 1, pad: 2 },
  {
    name: 'numeric padding, stride 2, ceil rounding',
    x: [1, 8, 8, 2],
    filter: [3, 3, 2, 3],
    strides: 2,
    pad: 1,
    dimRoundingMode: 'ceil',
  },
  {
    name: 'explicit padding, strides [3, 2]',
    x: [2, 9, 10, 3],
    filter: [3, 3, 3, 4],
    strides: [3, 2],
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  },
  {
    name: 'explicit padding wider than the filter',
    x: [1, 5, 5, 2],
    filter: [3, 3, 2, 3],
    strides: 1,
    pad: [
      [0, 0],
      [4, 3],
      [0, 5],
      [0, 0],
    ],
  },
  { name: 'workshop layer 1', x: [2, 28, 28, 1], filter: [3, 3, 1, 32], strides: 1, pad: 'valid' },
  {
    name: 'workshop layer 2',
    x: [2, 13, 13, 32],
    filter: [3, 3, 32, 64],
    strides: 1,
    pad: 'valid',
  },
  { name: 'VGG block', x: [2, 12, 12, 8], filter: [3, 3, 8, 16], strides: 1, pad: 'same' },
  {
    name: 'dilation 2, same',
    x: [2, 9, 9, 3],
    filter: [3, 3, 3, 4],
    strides: 1,
    pad: 'same',
    dilations: 2,
  },
  {
    name: 'dilation 2, valid',
    x: [2, 11, 10, 3],
    filter: [3, 3, 3, 4],
    strides: 1,
    pad: 'valid',
    dilations: 2,
  },
];

const methods: Array<ConvGradMethod | 'auto'> = ['auto', 'conv', 'matmul'];

/**
 * The cpu backend's gradient kernels know no dilation, so a dilated case is checked as the
 * undilated convolution with the filter spread out by zeros, whose gradient taps at the
 * dilated positions are the dilated filter's gradient.
 */
function spreadFilterShape(c: ConvCase): [number, number, number, number] {
  const d = c.dilations ?? 1;
  const [kh, kw, ci, co] = c.filter;
  return [(kh - 1) * d + 1, (kw - 1) * d + 1, ci, co];
}

function spreadFilter(values: Float32Array, c: ConvCase): Float32Array {
  const d = c.dilations ?? 1;
  const [kh, kw, ci, co] = c.filter;
  const [, bw] = spreadFilterShape(c);
  const out = new Float32Array(sizeOf(spreadFilterShape(c)));
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const from = (i * kw + j) * ci * co;
      out.set(values.subarray(from, from + ci * co), (i * d * bw + j * d) * ci * co);
    }
  }
  return out;
}

function gatherFilterTaps(values: Float32Array, c: ConvCase): Float32Array {
  const d = c.dilations ?? 1;
  const [kh, kw, ci, co] = c.filter;
  const [, bw] = spreadFilterShape(c);
  const out = new Float32Array(sizeOf(c.filter));
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const from = (i * d * bw + j * d) * ci * co;
      out.set(values.subarray(from, from + ci * co), (i * kw + j) * ci * co);
    }
  }
  return out;
}

function outputShape(c: ConvCase): [number, number, number, number] {
  const info = tf.backend_util.computeConv2DInfo(
    c.x,
    c.filter,
    c.strides,
    c.dilations ?? 1,
    c.pad,
    c.dimRoundingMode,
  );
  return info.outShape;
}

describe('wasm Conv2DBackpropFilter and Conv2DBackpropInput against the cpu backend', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const dyShape = outputShape(c);
      const x = { values: seededValues(sizeOf(c.x), 1), shape: [...c.x] };
      const filter = { values: seededValues(sizeOf(c.filter), 2), shape: [...c.filter] };
      const dy = { values: seededValues(sizeOf(dyShape), 3), shape: [...dyShape] };
      const common = { strides: c.strides, pad: c.pad, dimRoundingMode: c.dimRoundingMode };
      const expectedFilterGrad = await runKernelOn(
        'cpu',
        'Conv2DBackpropFilter',
        { x, dy },
        { ...common, dataFormat: 'NHWC', filterShape: spreadFilterShape(c) },
      );
      const expectedInputGrad = await runKernelOn(
        'cpu',
        'Conv2DBackpropInput',
        { dy, filter: { values: spreadFilter(filter.values, c), shape: spreadFilterShape(c) } },
        { ...common, dataFormat: 'NHWC', inputShape: c.x },
      );
      const expectedDw = gatherFilterTaps(expectedFilterGrad.values, c);

      const backend = await wasmBackend();
      const attrs = { ...common, dataFormat: 'NHWC' as const, dilations: c.dilations };
      const xw = tf.tensor(x.values, x.shape);
      const dyw = tf.tensor(dy.values, dy.shape);
      const fw = tf.tensor(filter.values, filter.shape);
      const idsBefore = backend.numDataIds();
      for (const method of methods) {
        const dw = tf.engine().makeTensorFromTensorInfo(
          conv2DBackpropFilterBy(method, {
            inputs: { x: xw, dy: dyw },
            backend,
            attrs: { ...attrs, filterShape: c.filter },
          }),
        );
        const dx = tf.engine().makeTensorFromTensorInfo(
          conv2DBackpropInputBy(method, {
            inputs: { dy: dyw, filter: fw },
            backend,
            attrs: { ...attrs, inputShape: c.x },
          }),
        );
        expect(dw.shape, `${method} dW shape`).toEqual(c.filter);
        expect(dx.shape, `${method} dx shape`).toEqual(c.x);
        expect(relativeError(dw.dataSync(), expectedDw), `${method} dW`).toBeLessThan(1e-4);
        expect(relativeError(dx.dataSync(), expectedInputGrad.values), `${method} dx`).toBeLessThan(
          1e-4,
        );
        tf.dispose([dw, dx]);
        // Every intermediate the kernels made is gone.
        expect(backend.numDataIds(), `${method} leaks`).toBe(idsBefore);
      }
      tf.dispose([xw, dyw, fw]);
    });
  }
});

describe('tf.grad of conv2d on wasm against cpu', () => {
  const gradCases: ConvCase[] = [
    {
      name: 'stride 1, valid, batch 3',
      x: [3, 10, 9, 2],
      filter: [3, 3, 2, 5],
      strides: 1,
      pad: 'valid',
    },
    {
      name: 'stride 2, same, batch 1',
      x: [1, 11, 11, 3],
      filter: [3, 3, 3, 4],
      strides: 2,
      pad: 'same',
    },
    {
      name: 'workshop layer 3',
      x: [4, 5, 5, 64],
      filter: [3, 3, 64, 64],
      strides: 1,
      pad: 'valid',
    },
  ];
  for (const c of gradCases) {
    it(c.name, async () => {
      const xValues = seededValues(sizeOf(c.x), 11);
      const fValues = seededValues(sizeOf(c.filter), 12);
      const weights = seededValues(sizeOf(outputShape(c)), 13);
      const grads = async (backend: 'cpu' | 'wasm') => {
        await useBackend(backend);
        return tf.tidy(() => {
          const x = tf.tensor4d(xValues, c.x);
          const f = tf.tensor4d(fValues, c.filter);
          const w = tf.tensor(weights, outputShape(c));
          const g = tf.grads((a, b) =>
            tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), w)),
          );
          const [dx, df] = g([x, f]);
          return { dx: dx.dataSync(), df: df.dataSync() };
        });
      };
      const expected = await grads('cpu');
      const numTensors = tf.memory().numTensors;
      const actual = await grads('wasm');
      expect(relativeError(actual.dx, expected.dx)).toBeLessThan(1e-4);
      expect(relativeError(actual.df, expected.df)).toBeLessThan(1e-4);
      expect(tf.memory().numTensors).toBe(numTensors);
    });
  }
});

describe('conv gradient kernels refuse what the wasm backend cannot run', () => {
  it('names NCHW as unsupported', async () => {
    const backend = await wasmBackend();
    const x = tf.zeros([1, 2, 5, 5]);
    const dy = tf.zeros([1, 3, 3, 3]);
    const call = () =>
      conv2DBackpropFilterBy('auto', {
        inputs: { x, dy },
        backend,
        attrs: { strides: 1, pad: 'valid', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] },
      });
    expect(call).toThrow(BackendError);
    expect(call).toThrow(/NCHW/);
    tf.dispose([x, dy]);
  });
});
