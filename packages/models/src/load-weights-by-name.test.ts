import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ModelError } from './errors.js';
import { loadWeightsByName } from './load-weights-by-name.js';

function twoLayers(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 3, inputShape: [2], name: 'fc1' }),
      tfl.layers.dense({ units: 1, name: 'predictions' }),
    ],
  });
}

/** Weights as tensorflowjs_converter names them from a Keras file: a model prefix and `:0`. */
async function converterArtifacts(names: string[], tensors: tf.Tensor[]): Promise<tf.io.IOHandler> {
  const { data, specs } = await tf.io.encodeWeights(
    tensors.map((tensor, i) => ({ name: names[i], tensor })),
  );
  return tf.io.fromMemory({ modelTopology: {}, weightSpecs: specs, weightData: data });
}

describe('loadWeightsByName (any runtime)', () => {
  it('matches converter-style names (model/layer/weight:0) from an IOHandler', async () => {
    const model = twoLayers();
    const kernel = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const bias = tf.tensor1d([7, 8, 9]);
    const k2 = tf.tensor2d([1, 1, 1], [3, 1]);
    const b2 = tf.tensor1d([0.5]);
    const handler = await converterArtifacts(
      [
        'model/fc1/kernel:0',
        'model/fc1/bias:0',
        'model/predictions/kernel:0',
        'model/predictions/bias:0',
      ],
      [kernel, bias, k2, b2],
    );
    const report = await loadWeightsByName(model, handler);
    expect(report).toEqual({ loaded: ['fc1', 'predictions'], missing: [], unused: [] });
    const out = model.predict(tf.tensor2d([[1, 1]])) as tf.Tensor;
    // (1·1 + 1·4 + 7) + (2 + 5 + 8) + (3 + 6 + 9) + 0.5
    expect(Array.from(out.dataSync())).toEqual([12 + 15 + 18 + 0.5]);
    tf.dispose([kernel, bias, k2, b2, out]);
    model.dispose();
  });

  it('names a missing weight of a layer that is there', async () => {
    const model = twoLayers();
    const handler = await converterArtifacts(
      ['fc1/kernel', 'predictions/kernel', 'predictions/bias'],
      [tf.zeros([2, 3]), tf.zeros([3, 1]), tf.zeros([1])],
    );
    await expect(loadWeightsByName(model, handler)).rejects.toThrow(
      'the given IOHandler has layer "fc1" but not its weight "bias" (expected fc1/bias [3]); it has kernel',
    );
    model.dispose();
  });

  it('wraps a failing handler and rejects URLs it has no handler for', async () => {
    const model = twoLayers();
    const failing: tf.io.IOHandler = {
      load: () => Promise.reject(new Error('network down')),
    };
    await expect(loadWeightsByName(model, failing)).rejects.toThrow(
      'cannot read weights from the given IOHandler: network down',
    );
    // The browser entry has no file system: a path is not something it can load.
    await expect(loadWeightsByName(model, '/tmp/vgg16')).rejects.toThrow(ModelError);
    await expect(loadWeightsByName(model, '/tmp/vgg16')).rejects.toThrow(
      'weights is "/tmp/vgg16"; expected a URL tfjs can load from',
    );
    model.dispose();
  });
});
