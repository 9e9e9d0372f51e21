import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { input, maxDiff, weightValues } from '../test/helpers.js';
import { cnnMnist } from './cnn-mnist.js';
import { compileLike } from './compile-like.js';
import { ModelError } from './errors.js';
import { freeze } from './freeze.js';
import { countParams } from './summary.js';
import { vgg16 } from './vgg16.js';
import { withHead } from './with-head.js';

/** A small convolutional base, standing in for VGG16 where training must be quick. */
function tinyBase(): tfl.LayersModel {
  const x = tfl.input({ shape: [8, 8, 1], name: 'image' });
  const c = tfl.layers
    .conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'conv' })
    .apply(x);
  const p = tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(c) as tfl.SymbolicTensor;
  return tfl.model({ inputs: x, outputs: p, name: 'tiny' });
}

describe('withHead', () => {
  it('puts a Flatten, Dense 256 + Dropout and a softmax on a frozen VGG16', () => {
    const base = freeze(vgg16({ includeTop: false, inputShape: [32, 32, 3] }));
    const model = withHead(base, { hidden: [256], dropout: 0.5, classes: 3 });
    expect(model.name).toBe('vgg16_head');
    expect(model.layers.slice(-4).map((l) => [l.name, l.getClassName(), l.outputShape])).toEqual([
      ['flatten', 'Flatten', [null, 512]],
      ['dense', 'Dense', [null, 256]],
      ['dropout', 'Dropout', [null, 256]],
      ['dense_1', 'Dense', [null, 3]],
    ]);
    // The base's layers are shared, not copied.
    expect(model.getLayer('block1_conv1')).toBe(base.getLayer('block1_conv1'));
    const head = 512 * 256 + 256 + 256 * 3 + 3;
    expect(countParams(model)).toEqual({
      total: 14_714_688 + head,
      trainable: head,
      nonTrainable: 14_714_688,
    });
    base.dispose();
  });

  it('trains the head on a frozen base: the base does not move, the head does', async () => {
    const base = freeze(tinyBase());
    const model = compileLike(withHead(base, { hidden: [8], dropout: 0, classes: 2 }), {
      optimizer: 'adam',
      learningRate: 0.01,
    });
    const n = 32;
    const labels = Array.from({ length: n }, (_, i) => i % 2);
    const xs = tf.tidy(() =>
      tf.add(input([n, 8, 8, 1], 7), tf.reshape(tf.tensor1d(labels), [n, 1, 1, 1])),
    );
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
    const baseBefore = weightValues(base.layers);
    const headLayers = model.layers.filter((l) => !base.layers.includes(l));
    const headBefore = weightValues(headLayers);
    expect(headBefore.size).toBe(4);

    const history = await model.fit(xs, ys, {
      epochs: 3,
      batchSize: 8,
      shuffle: false,
      verbose: 0,
    });
    expect(Object.keys(history.history).sort()).toEqual(['acc', 'loss']);

    for (const [key, after] of weightValues(base.layers)) {
      expect(maxDiff(after, baseBefore.get(key) as Float32Array), key).toBe(0);
    }
    for (const [key, after] of weightValues(headLayers)) {
      expect(maxDiff(after, headBefore.get(key) as Float32Array), key).toBeGreaterThan(0);
    }
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('names head layers beside the base as Keras would, and pools on request', () => {
    const base = cnnMnist();
    const model = withHead(base, { hidden: [16], classes: 5 });
    // The base ends in a vector: no Flatten; dense and dense_1 are taken.
    expect(model.layers.slice(-3).map((l) => l.name)).toEqual(['dense_2', 'dropout', 'dense_3']);

    const pooled = withHead(tinyBase(), {
      hidden: [],
      classes: 2,
      pooling: 'avg',
      activation: 'sigmoid',
    });
    expect(pooled.layers.slice(-2).map((l) => l.getClassName())).toEqual([
      'GlobalAveragePooling2D',
      'Dense',
    ]);
    expect(pooled.layers.at(-1)?.getConfig().activation).toBe('sigmoid');
    base.dispose();
  });

  it('rejects bad heads and bases with more than one output', () => {
    const base = tinyBase();
    expect(() => withHead(base, { classes: 1 })).toThrow(ModelError);
    expect(() => withHead(base, { classes: 2, hidden: [0] })).toThrow(/hidden\[0\] is 0/);
    expect(() => withHead(base, { classes: 2, dropout: -0.1 })).toThrow(/dropout is -0.1/);
    const x = tfl.input({ shape: [4] });
    const twoOut = tfl.model({
      inputs: x,
      outputs: [
        tfl.layers.dense({ units: 2 }).apply(x),
        tfl.layers.dense({ units: 3 }).apply(x),
      ] as tfl.SymbolicTensor[],
    });
    expect(() => withHead(twoOut, { classes: 2 })).toThrow(
      /has 1 inputs and 2 outputs; withHead expects one of each/,
    );
  });
});
