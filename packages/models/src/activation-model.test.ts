import { conv2d } from '@cnnlab/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { input, maxDiff } from '../test/helpers.js';
import { activationModel } from './activation-model.js';
import { cnnMnist } from './cnn-mnist.js';
import { ModelError } from './errors.js';
import { countParams } from './summary.js';

describe('activationModel', () => {
  const network = cnnMnist();
  const image = input([1, 28, 28, 1], 151);

  it("gives the workshop's layers [0, 2, 4]: the three convolutions", () => {
    const model = activationModel(network, [0, 2, 4]);
    const outputs = model.predict(image) as tf.Tensor[];
    expect(outputs.map((t) => t.shape)).toEqual([
      [1, 26, 26, 32],
      [1, 11, 11, 64],
      [1, 3, 3, 64],
    ]);
    // The same activations by running the layers one after another, eagerly.
    const byHand = tf.tidy(() => {
      const out: tf.Tensor[] = [];
      let x = image;
      network.layers.slice(0, 5).forEach((layer, i) => {
        x = layer.apply(x) as tf.Tensor;
        if (i % 2 === 0) out.push(tf.keep(x));
      });
      return out;
    });
    outputs.forEach((t, i) => {
      expect(maxDiff(t.dataSync(), byHand[i].dataSync())).toBeLessThan(1e-5);
    });
    // It shares the network's weights: nothing new to train.
    expect(countParams(model).total).toBe(320 + 18_496 + 36_928);
    tf.dispose([...outputs, ...byHand]);
  });

  it("matches the first layer computed channel by channel with @cnnlab/kernels' conv2d", () => {
    // One layer, one output: predict gives a tensor, not a list, as in Keras.
    const first = activationModel(network, ['conv2d']).predict(image) as tf.Tensor;
    const [kernel, bias] = network.getLayer('conv2d').getWeights();
    const k = kernel.dataSync(); // [3, 3, 1, 32]
    const b = bias.dataSync();
    const pixels = { data: image.dataSync() as Float32Array, shape: [28, 28] };
    const activations = first.dataSync(); // [1, 26, 26, 32]
    for (const f of [0, 13, 31]) {
      const taps = {
        data: Float64Array.from({ length: 9 }, (_, t) => k[t * 32 + f]),
        shape: [3, 3],
      };
      const map = conv2d(pixels, taps, { padding: 'valid' });
      expect(map.shape).toEqual([26, 26]);
      const expected = Array.from(map.data, (v) => Math.max(0, v + b[f]));
      const actual = Array.from({ length: 26 * 26 }, (_, p) => activations[p * 32 + f]);
      expect(maxDiff(actual, expected)).toBeLessThan(1e-5);
    }
    first.dispose();
  });

  it('takes names, negative indices, and defaults to the conv and pooling layers', () => {
    expect(activationModel(network, ['conv2d_1', -1]).outputs.map((t) => t.shape)).toEqual([
      [null, 11, 11, 64],
      [null, 10],
    ]);
    const all = activationModel(network);
    expect(all.outputs.map((t) => t.shape[3])).toEqual([32, 32, 64, 64, 64]);
    expect(all.name).toBe('cnn_mnist_activations');
  });

  it('names what it cannot find', () => {
    expect(() => activationModel(network, ['conv9'])).toThrow(ModelError);
    expect(() => activationModel(network, ['conv9'])).toThrow(
      /layers\[0\]: model "cnn_mnist" has no layer named "conv9"; its layers: conv2d, max_pooling2d,/,
    );
    expect(() => activationModel(network, [0, 8])).toThrow(
      /layers\[1\] is 8; model "cnn_mnist" has 8 layers/,
    );
    expect(() => activationModel(network, [])).toThrow(/layers is empty/);
  });
});
