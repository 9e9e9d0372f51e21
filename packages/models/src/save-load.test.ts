import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { input } from '../test/helpers.js';
import { cnnMnist } from './cnn-mnist.js';
import { ModelError } from './errors.js';
import { loadModel, saveModel } from './save-load.js';

describe('saveModel / loadModel (browser entry)', () => {
  it("round-trips through tfjs's handlers with identical predictions", async () => {
    const model = cnnMnist();
    let artifacts: tf.io.ModelArtifacts | undefined;
    await saveModel(
      model,
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
      }),
    );
    expect(artifacts?.weightSpecs).toHaveLength(10);
    const loaded = await loadModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const x = input([2, 28, 28, 1], 9);
    const [a, b] = [model, loaded].map((m) => m.predict(x) as tf.Tensor);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('says which URL has no handler, and wraps what tfjs throws', async () => {
    const model = cnnMnist();
    await expect(saveModel(model, 'models/cnn')).rejects.toThrow(ModelError);
    await expect(saveModel(model, 'models/cnn')).rejects.toThrow(
      'destination is "models/cnn"; expected a URL tfjs can save to (indexeddb://, localstorage://, downloads://, http(s)://)',
    );
    await expect(
      loadModel(tf.io.fromMemory({ modelTopology: { nonsense: true } })),
    ).rejects.toThrow(/cannot load a Layers model from the given IOHandler: /);
    model.dispose();
  });
});
