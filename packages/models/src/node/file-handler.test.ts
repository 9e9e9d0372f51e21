import {
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { input, SAVED_WEIGHTS, tempDir, weightsFileOf } from '../../test/helpers.js';
import { cnnMnist } from '../cnn-mnist.js';
import { compileLike } from '../compile-like.js';
import { ModelError } from '../errors.js';
import { fileHandler } from './file-handler.js';
import { WEIGHTS_BIN } from './folder-layout.js';
import { loadModel, saveModel } from './save-load.js';

const newDir = tempDir('io');

function predictions(model: tfl.LayersModel, x: tf.Tensor): Float32Array {
  return tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
}

describe('saveModel / loadModel in Node', () => {
  const x = input([4, 28, 28, 1], 5);

  it('round-trips the CNN through a folder with identical predictions', async () => {
    const model = compileLike(cnnMnist());
    const dir = join(newDir(), 'nested', 'cnn');
    const result = await saveModel(model, dir);
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(93_322 * 4);
    // Only the two files: no scratch file left behind. The weights are named by their content.
    const weights = weightsFileOf(dir);
    expect(weights).toMatch(SAVED_WEIGHTS);
    expect(readdirSync(dir).sort()).toEqual(['model.json', weights]);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual([weights]);
    expect(json.weightsManifest[0].weights[0]).toMatchObject({
      name: 'conv2d/kernel',
      shape: [3, 3, 1, 32],
    });
    expect(json.trainingConfig).toBeUndefined();

    for (const source of [dir, join(dir, 'model.json'), pathToFileURL(dir).href]) {
      const loaded = await loadModel(source);
      expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
      expect(Array.from(predictions(loaded, x))).toEqual(Array.from(predictions(model, x)));
      loaded.dispose();
    }
    model.dispose();
  });

  it('keeps the compile settings and optimizer state with includeOptimizer', async () => {
    const model = compileLike(cnnMnist(), { optimizer: 'adam' });
    const dir = newDir();
    await saveModel(model, dir, { includeOptimizer: true });
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.trainingConfig).toMatchObject({
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
    });
    const loaded = await loadModel(dir);
    expect(loaded.optimizer.getClassName()).toBe('Adam');
    model.dispose();
    loaded.dispose();
  });

  it('replaces an earlier save in the same folder, removing the old weights', async () => {
    const dir = newDir();
    const first = cnnMnist();
    const second = cnnMnist({ classes: 3 });
    await saveModel(first, dir);
    const old = weightsFileOf(dir);
    await saveModel(second, dir);
    const loaded = await loadModel(dir);
    expect(loaded.outputs[0].shape).toEqual([null, 3]);
    expect(Array.from(predictions(loaded, x))).toEqual(Array.from(predictions(second, x)));
    expect(weightsFileOf(dir)).not.toBe(old);
    expect(readdirSync(dir).sort()).toEqual(['model.json', weightsFileOf(dir)]);
    // The same weights again: the same name, replaced in place, still one file.
    await saveModel(second, dir);
    expect(readdirSync(dir).sort()).toEqual(['model.json', weightsFileOf(dir)]);
    for (const m of [first, second, loaded]) m.dispose();
  });

  it('reads a folder of the old layout (weights.bin) and replaces it on the next save', async () => {
    const dir = newDir();
    const model = cnnMnist();
    await saveModel(model, dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    writeFileSync(join(dir, WEIGHTS_BIN), readFileSync(join(dir, weightsFileOf(dir))));
    rmSync(join(dir, weightsFileOf(dir)));
    json.weightsManifest[0].paths = [WEIGHTS_BIN];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const loaded = await loadModel(dir);
    expect(Array.from(predictions(loaded, x))).toEqual(Array.from(predictions(model, x)));
    await saveModel(loaded, dir);
    expect(readdirSync(dir).sort()).toEqual(['model.json', weightsFileOf(dir)]);
    model.dispose();
    loaded.dispose();
  });

  it("reads a converter's multi-shard weights", async () => {
    const dir = newDir();
    const model = cnnMnist();
    await saveModel(model, dir);
    const bytes = readFileSync(join(dir, weightsFileOf(dir)));
    const cut = 100_000;
    writeFileSync(join(dir, 'group1-shard1of2.bin'), bytes.subarray(0, cut));
    writeFileSync(join(dir, 'group1-shard2of2.bin'), bytes.subarray(cut));
    rmSync(join(dir, weightsFileOf(dir)));
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const loaded = await loadModel(dir);
    expect(Array.from(predictions(loaded, x))).toEqual(Array.from(predictions(model, x)));
    model.dispose();
    loaded.dispose();
  });

  describe('bad files give a ModelError naming the file', () => {
    async function saved(): Promise<string> {
      const dir = newDir();
      const model = cnnMnist();
      await saveModel(model, dir);
      model.dispose();
      return dir;
    }

    it('a folder that does not exist, or holds no model.json', async () => {
      const missing = join(newDir(), 'nothing-here');
      await expect(loadModel(missing)).rejects.toThrow(ModelError);
      await expect(loadModel(missing)).rejects.toThrow(
        `cannot read the model at ${join(missing, 'model.json')}: the folder does not exist`,
      );
      const empty = newDir();
      await expect(loadModel(empty)).rejects.toThrow(
        `cannot read the model at ${join(empty, 'model.json')}: no model.json there`,
      );
    });

    it('a model.json that is not JSON, or not a Layers model', async () => {
      const dir = await saved();
      writeFileSync(join(dir, 'model.json'), '{"modelTopology": ');
      await expect(loadModel(dir)).rejects.toThrow(`${join(dir, 'model.json')} is not valid JSON`);
      writeFileSync(join(dir, 'model.json'), '{"weightsManifest": []}');
      await expect(loadModel(dir)).rejects.toThrow(
        /has no "modelTopology"; expected a tfjs Layers model.json/,
      );
    });

    it('a missing weights file', async () => {
      const dir = await saved();
      const weights = join(dir, weightsFileOf(dir));
      rmSync(weights);
      const error = await loadModel(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelError);
      expect((error as ModelError).message).toBe(
        `cannot read weights file ${weights} named in ${join(dir, 'model.json')}: the file is missing`,
      );
      expect((error as ModelError).source).toBe(weights);
    });

    it('a truncated or padded weights file', async () => {
      const dir = await saved();
      const weights = join(dir, weightsFileOf(dir));
      truncateSync(weights, 1000);
      await expect(loadModel(dir)).rejects.toThrow(
        `weights file ${weights} holds 1000 bytes; model.json declares 373288 bytes (10 weights, dtype × shape): truncated, padded or from another model`,
      );
      writeFileSync(weights, new Uint8Array(373_292));
      await expect(loadModel(dir)).rejects.toThrow(
        /holds 373292 bytes; model.json declares 373288/,
      );
    });
  });

  it('passes URLs with a scheme to tfjs, and fails clearly where no handler exists', async () => {
    const model = cnnMnist();
    await expect(saveModel(model, 'indexeddb://cnn')).rejects.toThrow(
      'destination is "indexeddb://cnn"; expected a URL tfjs can save to',
    );
    await expect(loadModel('localstorage://cnn')).rejects.toThrow(
      'source is "localstorage://cnn"; expected a URL tfjs can load from',
    );
    model.dispose();
  });

  it('refuses to save where a file blocks the folder', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'blocker'), 'x');
    const model = cnnMnist();
    await expect(saveModel(model, join(dir, 'blocker', 'cnn'))).rejects.toThrow(
      /cannot create the folder .*blocker/,
    );
    await expect(
      fileHandler(join(dir, 'x')).save?.({ modelTopology: undefined } as never),
    ).rejects.toThrow(/topology is missing or binary/);
    expect(existsSync(join(dir, 'x'))).toBe(false);
    model.dispose();
  });
});
