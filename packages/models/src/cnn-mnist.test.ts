import { conv2dParams, convOutputShape, denseParams, poolOutputShape } from '@cnnlab/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { input } from '../test/helpers.js';
import { cnnMnist } from './cnn-mnist.js';
import { ModelError } from './errors.js';
import { countParams, summary } from './summary.js';

describe('cnnMnist', () => {
  const model = cnnMnist();

  it("has the workshop's layers, named as Keras names them", () => {
    expect(model.layers.map((l) => `${l.name} (${l.getClassName()})`)).toEqual([
      'conv2d (Conv2D)',
      'max_pooling2d (MaxPooling2D)',
      'conv2d_1 (Conv2D)',
      'max_pooling2d_1 (MaxPooling2D)',
      'conv2d_2 (Conv2D)',
      'flatten (Flatten)',
      'dense (Dense)',
      'dense_1 (Dense)',
    ]);
  });

  it("gives every layer the workshop's output shape", () => {
    expect(model.layers.map((l) => l.outputShape)).toEqual([
      [null, 26, 26, 32],
      [null, 13, 13, 32],
      [null, 11, 11, 64],
      [null, 5, 5, 64],
      [null, 3, 3, 64],
      [null, 576],
      [null, 64],
      [null, 10],
    ]);
    // The same chain by @cnnlab/kernels' Keras arithmetic.
    const c1 = convOutputShape([null, 28, 28, 1], { kernelSize: 3, filters: 32 });
    const p1 = poolOutputShape(c1);
    const c2 = convOutputShape(p1, { kernelSize: 3, filters: 64 });
    const p2 = poolOutputShape(c2);
    const c3 = convOutputShape(p2, { kernelSize: 3, filters: 64 });
    expect([c1, p1, c2, p2, c3]).toEqual(model.layers.slice(0, 5).map((l) => l.outputShape));
  });

  it('has 93,322 parameters, layer by layer as Keras counts them', () => {
    expect(model.layers.map((l) => l.countParams())).toEqual([
      conv2dParams({ kernelSize: 3, inChannels: 1, filters: 32 }),
      0,
      conv2dParams({ kernelSize: 3, inChannels: 32, filters: 64 }),
      0,
      conv2dParams({ kernelSize: 3, inChannels: 64, filters: 64 }),
      0,
      denseParams({ inputs: 576, units: 64 }),
      denseParams({ inputs: 64, units: 10 }),
    ]);
    expect(model.layers.map((l) => l.countParams())).toEqual([
      320, 0, 18_496, 0, 36_928, 0, 36_928, 650,
    ]);
    expect(countParams(model)).toEqual({ total: 93_322, trainable: 93_322, nonTrainable: 0 });
  });

  it("summary ends with Keras's totals", () => {
    const text = summary(model);
    expect(text).toContain('conv2d (Conv2D)                (None, 26, 26, 32)        320');
    expect(text.split('\n').slice(-4, -1)).toEqual([
      'Total params: 93,322',
      'Trainable params: 93,322',
      'Non-trainable params: 0',
    ]);
  });

  it('predicts a probability distribution over 10 digits', () => {
    const probabilities = tf.tidy(() =>
      tf.sum(model.predict(input([3, 28, 28, 1])) as tf.Tensor, 1),
    );
    expect(Array.from(probabilities.dataSync()).map((p) => Number(p.toFixed(5)))).toEqual([
      1, 1, 1,
    ]);
    probabilities.dispose();
  });

  it('takes dropout, classes and other image sizes, down to 18×18', () => {
    const small = cnnMnist({ inputShape: [18, 18, 3], classes: 4, dropout: 0.25 });
    expect(small.layers.map((l) => l.name)).toContain('dropout');
    expect(small.layers[4].outputShape).toEqual([null, 1, 1, 64]);
    expect(small.outputs[0].shape).toEqual([null, 4]);
    small.dispose();
  });

  it('rejects inputs it cannot convolve and fewer than two classes', () => {
    expect(() => cnnMnist({ inputShape: [17, 28, 1] })).toThrow(ModelError);
    expect(() => cnnMnist({ inputShape: [17, 28, 1] })).toThrow(/at least 18×18/);
    expect(() => cnnMnist({ inputShape: [28, 28] })).toThrow(
      /inputShape is \[28, 28\]; expected \[h, w, channels\]/,
    );
    expect(() => cnnMnist({ classes: 1 })).toThrow(/classes is 1/);
  });
});
