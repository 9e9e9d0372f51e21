import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { compileLike } from './compile-like.js';
import { ModelError } from './errors.js';

function tiny(): tfl.LayersModel {
  return tfl.sequential({
    layers: [tfl.layers.dense({ units: 3, activation: 'softmax', inputShape: [4] })],
  });
}

describe('compileLike', () => {
  it("compiles with the workshop's Keras names and trains, logging loss and acc", async () => {
    const model = compileLike(tiny(), {
      optimizer: 'rmsprop',
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
    });
    expect(model.optimizer.getClassName()).toBe('RMSProp');
    expect(model.optimizer.getConfig().learningRate).toBe(0.001);
    const xs = tf.randomUniform([12, 4], 0, 1, 'float32', 3);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32'), 3);
    const history = await model.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0 });
    expect(Object.keys(history.history).sort()).toEqual(['acc', 'loss']);
    expect(history.history.loss).toHaveLength(2);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it("uses tf.keras's defaults and a given learning rate", () => {
    const adam = compileLike(tiny(), { optimizer: 'adam' }).optimizer.getConfig();
    expect(adam).toMatchObject({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(compileLike(tiny(), { optimizer: 'adagrad' }).optimizer.getConfig()).toMatchObject({
      learningRate: 0.001,
      initialAccumulatorValue: 0.1,
    });
    expect(
      compileLike(tiny(), { optimizer: 'sgd', learningRate: 0.5 }).optimizer.getConfig()
        .learningRate,
    ).toBe(0.5);
    const own = tf.train.momentum(0.1, 0.9);
    expect(compileLike(tiny(), { optimizer: own }).optimizer).toBe(own);
  });

  it('maps sparse and binary losses and Keras metric names', () => {
    const model = compileLike(tiny(), {
      optimizer: 'sgd',
      loss: 'sparse_categorical_crossentropy',
      metrics: ['sparse_categorical_accuracy', 'mse'],
    });
    expect(model.loss).toBe('sparseCategoricalCrossentropy');
    expect(compileLike(tiny(), { loss: 'mse', metrics: [] }).loss).toBe('meanSquaredError');
  });

  it("names what it does not know, with Keras's names", () => {
    // @ts-expect-error: not an optimizer name
    expect(() => compileLike(tiny(), { optimizer: 'nadam' })).toThrow(ModelError);
    // @ts-expect-error: not an optimizer name
    expect(() => compileLike(tiny(), { optimizer: 'nadam' })).toThrow(
      /optimizer is "nadam"; expected one of rmsprop, adam, sgd, adagrad, adadelta, adamax or a tf.Optimizer/,
    );
    // @ts-expect-error: tfjs's name, not Keras's
    expect(() => compileLike(tiny(), { loss: 'categoricalCrossentropy' })).toThrow(
      /loss is "categoricalCrossentropy"; expected one of Keras's names: categorical_crossentropy,/,
    );
    // @ts-expect-error: not a metric
    expect(() => compileLike(tiny(), { metrics: ['accuracy', 'f1'] })).toThrow(
      /metrics\[1\] is "f1"/,
    );
    expect(() => compileLike(tiny(), { learningRate: 0 })).toThrow(/learningRate is 0/);
  });
});
