import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { tempDir, weightsFileOf, weightValues } from '../../test/helpers.js';
import { ModelError } from '../errors.js';
import { loadWeightsByName, saveModel, vgg16 } from './save-load.js';

const newDir = tempDir('vgg16');

/** A small model with VGG16's first block, as a weights file with only some of its layers. */
function block1(filters = 64): tfl.LayersModel {
  const x = tfl.input({ shape: [8, 8, 3] });
  let y = tfl.layers
    .conv2d({ filters, kernelSize: 3, padding: 'same', name: 'block1_conv1' })
    .apply(x);
  y = tfl.layers
    .conv2d({ filters: 64, kernelSize: 3, padding: 'same', name: 'block1_conv2' })
    .apply(y);
  const z = tfl.layers.dense({ units: 2, name: 'extra' }).apply(y) as tfl.SymbolicTensor;
  return tfl.model({ inputs: x, outputs: z, name: 'block1_only' });
}

function sameWeights(a: tfl.layers.Layer, b: tfl.layers.Layer): boolean {
  const [wa, wb] = [weightValues([a]), weightValues([b])];
  return [...wa.keys()].every((key) => {
    const x = wa.get(key) as Float32Array;
    const y = wb.get(key.replace(a.name, b.name)) as Float32Array;
    return x.length === y.length && x.every((v, i) => v === y[i]);
  });
}

describe('vgg16({ weights }) from a folder', () => {
  it('loads every layer by name from a saved 32×32 VGG16 into a 48×48 one', async () => {
    // Convolution weights do not depend on the image size: a 32×32 base fills a 48×48 one.
    const source = vgg16({ includeTop: false, inputShape: [32, 32, 3] });
    const dir = newDir();
    await saveModel(source, dir);
    const base = await vgg16({ includeTop: false, inputShape: [48, 48, 3], weights: dir });
    expect(base.outputs[0].shape).toEqual([null, 1, 1, 512]);
    for (const name of ['block1_conv1', 'block3_conv2', 'block5_conv3']) {
      expect(sameWeights(source.getLayer(name), base.getLayer(name)), name).toBe(true);
    }
    source.dispose();
    base.dispose();
  });

  it('names the missing layer, and with skipMissing loads what there is', async () => {
    const dir = newDir();
    const small = block1();
    await saveModel(small, dir);
    const error = await vgg16({ includeTop: false, inputShape: [32, 32, 3], weights: dir }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).source).toBe('block2_conv1');
    expect((error as ModelError).message).toBe(
      `${dir} has no weights for layer "block2_conv1" (expected block2_conv1/kernel [3, 3, 64, 128] and ` +
        'block2_conv1/bias [128]); its layers: block1_conv1, block1_conv2, extra',
    );

    const base = vgg16({ includeTop: false, inputShape: [32, 32, 3] });
    const report = await loadWeightsByName(base, dir, { skipMissing: true });
    expect(report.loaded).toEqual(['block1_conv1', 'block1_conv2']);
    expect(report.missing).toHaveLength(11);
    expect(report.unused).toEqual(['extra']);
    expect(sameWeights(small.getLayer('block1_conv2'), base.getLayer('block1_conv2'))).toBe(true);
    small.dispose();
    base.dispose();
  });

  it('names the layer whose shapes differ, and changes nothing', async () => {
    const dir = newDir();
    const wrong = block1(32);
    await saveModel(wrong, dir);
    const base = vgg16({ includeTop: false, inputShape: [32, 32, 3] });
    const before = weightValues([base.getLayer('block1_conv1')]);
    await expect(loadWeightsByName(base, dir, { skipMissing: true })).rejects.toThrow(
      `layer "block1_conv1": weight "kernel" in ${dir} has shape [3, 3, 3, 32]; the model expects [3, 3, 3, 64]`,
    );
    const after = weightValues([base.getLayer('block1_conv1')]);
    expect([...after.values()].map((v) => Array.from(v))).toEqual(
      [...before.values()].map((v) => Array.from(v)),
    );
    wrong.dispose();
    base.dispose();
  });

  it('fails clearly on a missing or corrupt weights file', async () => {
    const dir = newDir();
    const small = block1();
    await saveModel(small, dir);
    small.dispose();
    const options = { includeTop: false, inputShape: [32, 32, 3], weights: dir } as const;

    const weights = join(dir, weightsFileOf(dir));
    truncateSync(weights, 12);
    await expect(vgg16(options)).rejects.toThrow(`weights file ${weights} holds 12 bytes`);

    rmSync(weights);
    await expect(vgg16(options)).rejects.toThrow(
      `cannot read weights file ${weights} named in ${join(dir, 'model.json')}: the file is missing`,
    );

    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    delete json.weightsManifest;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(vgg16(options)).rejects.toThrow(`${dir} holds no weights`);

    await expect(vgg16({ ...options, weights: join(dir, 'absent') })).rejects.toThrow(
      /cannot read the model at .*absent.model\.json: the folder does not exist/,
    );
  });
});

describe('vgg16({ weights, seed })', () => {
  it('loads the file over the seeded weights: the seed only fixes the layers not loaded', async () => {
    const dir = newDir();
    const small = block1();
    await saveModel(small, dir);
    const load = (seed: number) =>
      vgg16({
        includeTop: false,
        inputShape: [32, 32, 3],
        weights: dir,
        weightsOptions: { skipMissing: true },
        seed,
      });
    const [a, b, c] = [await load(4), await load(4), await load(5)];
    const seeded = vgg16({ includeTop: false, inputShape: [32, 32, 3], seed: 4 });
    for (const name of ['block1_conv1', 'block1_conv2']) {
      expect(sameWeights(small.getLayer(name), a.getLayer(name)), name).toBe(true);
      expect(sameWeights(small.getLayer(name), c.getLayer(name)), name).toBe(true);
    }
    for (const name of ['block2_conv1', 'block5_conv3']) {
      expect(sameWeights(a.getLayer(name), b.getLayer(name)), name).toBe(true);
      expect(sameWeights(a.getLayer(name), seeded.getLayer(name)), name).toBe(true);
      expect(sameWeights(a.getLayer(name), c.getLayer(name)), name).toBe(false);
    }
    for (const model of [small, a, b, c, seeded]) model.dispose();
  });
});
