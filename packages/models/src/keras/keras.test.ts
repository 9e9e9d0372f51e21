// Keras files without Python, tested against an independent writer and reader: the fixtures are
// written by h5py (test/keras_reference.py, laid out as Keras 2's and Keras 3's saving code lays
// them out), the expected outputs computed by numpy, and cnnlab's exports read back by h5py.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { findPython } from '../../../../tests/python.js';
import { maxDiff, tempDir } from '../../test/helpers.js';
import { cnnMnist } from '../cnn-mnist.js';
import { ModelError } from '../errors.js';
import { loadKerasModel, loadKerasWeights, saveKerasModel } from '../node/keras.js';
import { vgg16 } from '../node/save-load.js';
import { withHead } from '../with-head.js';
import * as browser from './browser.js';

const script = fileURLToPath(new URL('../../test/keras_reference.py', import.meta.url));

const python = findPython('h5py, numpy');
if (!python) {
  console.warn('keras.test.ts skipped: no python3 with h5py and numpy (Debian: python3-h5py)');
}

interface Expected {
  input: number[];
  inputShape: number[];
  output: number[];
  nestedOutput: number[];
  denseBias: number[];
  vggInput: number[];
  vggOutput: number[];
  vggConv1Bias: number[];
}

const newDir = tempDir('keras');
let dir = '';
let expected: Expected;
const at = (name: string) => join(dir, name);

/** The fixture network built in tfjs, with other (random) weights. */
function smallCnn(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [8, 8, 1],
        filters: 4,
        kernelSize: 3,
        activation: 'relu',
        name: 'conv2d',
      }),
      tfl.layers.maxPooling2d({ poolSize: 2, name: 'max_pooling2d' }),
      tfl.layers.conv2d({
        filters: 3,
        kernelSize: 2,
        padding: 'same',
        activation: 'relu',
        name: 'conv2d_1',
      }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dropout({ rate: 0.5, name: 'dropout' }),
      tfl.layers.dense({ units: 5, activation: 'softmax', name: 'dense' }),
    ],
  });
}

const outputOf = (model: tfl.LayersModel, data: number[], shape: number[]) =>
  tf.tidy(() => (model.predict(tf.tensor(data, shape)) as tf.Tensor).dataSync());

/** h5py and numpy's reading of a cnnlab export: its output on `x`, and what Keras would refuse. */
function readBack(
  file: string,
  x: tf.Tensor,
): { output: number[]; problems: string[]; layers: string[] } {
  const spec = join(newDir(), 'input.json');
  writeFileSync(spec, JSON.stringify({ input: Array.from(x.dataSync()), shape: x.shape }));
  return JSON.parse(
    execFileSync(python as string, [script, 'read', file, spec], { encoding: 'utf8' }),
  );
}

describe.skipIf(!python)('Keras files', () => {
  beforeAll(() => {
    dir = newDir();
    execFileSync(python as string, [script, 'fixtures', dir]);
    expected = JSON.parse(readFileSync(at('expected.json'), 'utf8'));
  });

  describe('loadKerasModel', () => {
    it.each([
      ['Keras 2 full-model .h5', 'keras2-model.h5', 'Sequential'],
      ['Keras 3 Sequential .keras', 'keras3-sequential.keras', 'Sequential'],
      ['Keras 3 Functional .keras', 'keras3-functional.keras', 'Functional'],
    ])('builds a %s and computes what numpy computes', async (_, file, className) => {
      const model = await loadKerasModel(at(file));
      expect(model.getClassName()).toBe(className);
      expect(model.layers.map((l) => l.getClassName()).filter((c) => c !== 'InputLayer')).toEqual([
        'Conv2D',
        'MaxPooling2D',
        'Conv2D',
        'Flatten',
        'Dropout',
        'Dense',
      ]);
      expect(
        maxDiff(outputOf(model, expected.input, expected.inputShape), expected.output),
      ).toBeLessThan(1e-5);
    });

    it('takes bytes too, in Node and through the browser build (in-memory HDF5)', async () => {
      for (const load of [loadKerasModel, browser.loadKerasModel]) {
        for (const file of ['keras2-model.h5', 'keras3-sequential.keras']) {
          const model = await load(new Uint8Array(readFileSync(at(file))));
          expect(
            maxDiff(outputOf(model, expected.input, expected.inputShape), expected.output),
          ).toBeLessThan(1e-5);
        }
      }
    });

    it('builds a pretrained base nested as one layer of a Sequential model, with its weights', async () => {
      const model = await loadKerasModel(at('nested.h5'));
      expect(model.layers.map((l) => l.name)).toEqual(['base', 'flatten', 'dense']);
      expect(
        maxDiff(outputOf(model, expected.input, expected.inputShape), expected.nestedOutput),
      ).toBeLessThan(1e-5);
    });

    it('names a layer it cannot read, and what it reads', async () => {
      const error = await loadKerasModel(at('unsupported.h5')).catch((e) => e);
      expect(error).toBeInstanceOf(ModelError);
      expect(error.message).toMatch(
        /"batch_normalization" is a BatchNormalization, which cnnlab cannot load/,
      );
      expect(error.message).toMatch(/Conv2D, MaxPooling2D/);
    });

    it('refuses a file whose weights do not fit its config, naming the layer and shapes', async () => {
      await expect(loadKerasModel(at('mismatch.h5'))).rejects.toThrow(
        /layer dense weight kernel: the model has \[27, 5\], the file \[26, 5\]/,
      );
    });

    it('tells a weights-only file from a model, and bad files apart, in one line each', async () => {
      await expect(loadKerasModel(at('keras2-weights.h5'))).rejects.toThrow(/holds weights only/);
      const cut = join(newDir(), 'cut.h5');
      const whole = readFileSync(at('keras2-model.h5'));
      writeFileSync(cut, whole.subarray(0, whole.length >> 1));
      await expect(loadKerasModel(cut)).rejects.toThrow(
        new RegExp(
          `cut.h5 is truncated: its HDF5 superblock says ${whole.length} bytes, the file has ${whole.length >> 1}`,
        ),
      );
      const text = join(newDir(), 'notes.h5');
      writeFileSync(text, 'not a model\n');
      await expect(loadKerasModel(text)).rejects.toThrow(/notes.h5 is not an HDF5 file/);
      const zip = readFileSync(at('keras3-sequential.keras'));
      const cutZip = join(newDir(), 'cut.keras');
      writeFileSync(cutZip, zip.subarray(0, zip.length - 200));
      await expect(loadKerasModel(cutZip)).rejects.toThrow(/cut.keras is a damaged zip archive/);
      await expect(loadKerasModel(join(dir, 'missing.keras'))).rejects.toThrow(
        /cannot read .*missing.keras/,
      );
    });
  });

  describe('loadKerasWeights', () => {
    it.each([
      ['Keras 2 save_weights', 'keras2-weights.h5', 'keras2'],
      ['Keras 2 save_weights, HDF5 superblock 3', 'keras2-weights-v3.h5', 'keras2'],
      ['Keras 2 full model', 'keras2-model.h5', 'keras2'],
      ['Keras 3 .weights.h5', 'keras3.weights.h5', 'keras3'],
      ['Keras 3 .keras', 'keras3-sequential.keras', 'keras3'],
    ])('fills a tfjs model from %s', async (_, file, layout) => {
      const model = smallCnn();
      const report = await loadKerasWeights(model, at(file));
      expect(report).toEqual({
        layout,
        loaded: ['conv2d', 'conv2d_1', 'dense'],
        skipped: [],
        unused: [],
        mismatched: [],
      });
      expect(
        maxDiff(outputOf(model, expected.input, expected.inputShape), expected.output),
      ).toBeLessThan(1e-5);
    });

    it('matches by name: skips what the file lacks, reports what the model lacks', async () => {
      const x = tfl.input({ shape: [8, 8, 1] });
      const y = tfl.layers
        .conv2d({ filters: 4, kernelSize: 3, name: 'conv2d' })
        .apply(x) as tfl.SymbolicTensor;
      const z = tfl.layers.dense({ units: 2, name: 'extra' }).apply(y) as tfl.SymbolicTensor;
      const model = tfl.model({ inputs: x, outputs: z });
      const report = await loadKerasWeights(model, at('keras2-weights.h5'));
      expect(report.loaded).toEqual(['conv2d']);
      expect(report.skipped).toEqual(['extra']);
      expect(report.unused).toEqual(['conv2d_1', 'dense']);
      await expect(
        loadKerasWeights(model, at('keras2-weights.h5'), { requireAll: true }),
      ).rejects.toThrow(/layer extra has no weights in the file/);
    });

    it('fails on a shape mismatch and changes nothing, or skips and reports it', async () => {
      const model = smallCnn();
      model.getLayer('dense').setWeights([tf.zeros([27, 5]), tf.zeros([5])]);
      const before = model.getWeights().map((w) => Array.from(w.dataSync()));
      await expect(loadKerasWeights(model, at('mismatch.h5'))).rejects.toThrow(
        /the model has \[27, 5\]/,
      );
      expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
      const report = await loadKerasWeights(model, at('mismatch.h5'), { skipMismatch: true });
      expect(report.loaded).toEqual(['conv2d', 'conv2d_1']);
      expect(report.mismatched).toEqual([
        { layer: 'dense', weight: 'kernel', expected: [27, 5], found: [26, 5] },
      ]);
      expect(Array.from(model.getLayer('dense').getWeights()[1]?.dataSync() ?? [])).toEqual([
        0, 0, 0, 0, 0,
      ]);
    });
  });

  it("vgg16 takes the layout of Keras's published notop file directly", async () => {
    const model = await vgg16({
      includeTop: false,
      inputShape: [32, 32, 3],
      weights: at('vgg16-notop.h5'),
    });
    const bias = model.getLayer('block1_conv1').getWeights()[1]?.dataSync() ?? [];
    expect(maxDiff(bias, expected.vggConv1Bias)).toBe(0);
    const got = outputOf(model, expected.vggInput, [1, 32, 32, 3]);
    const scale = Math.max(...expected.vggOutput.map(Math.abs));
    expect(maxDiff(got, expected.vggOutput) / scale).toBeLessThan(1e-4);
    model.dispose();
    // With the top, fc1, fc2 and predictions are not in a notop file: an error unless allowed.
    await expect(
      vgg16({ inputShape: [32, 32, 3], classes: 2, weights: at('vgg16-notop.h5') }),
    ).rejects.toThrow(/layer fc1 has no weights in the file/);
  });

  describe('saveKerasModel', () => {
    const models: [string, () => tfl.LayersModel, number[]][] = [
      ['the workshop CNN (Sequential)', () => cnnMnist({ classes: 10, seed: 3 }), [2, 28, 28, 1]],
      [
        'a Functional model with a new head (withHead)',
        () => {
          const x = tfl.input({ shape: [12, 12, 3], name: 'pictures' });
          const y = tfl.layers
            .conv2d({
              filters: 6,
              kernelSize: 3,
              strides: 2,
              padding: 'same',
              activation: 'relu',
              name: 'c',
            })
            .apply(x);
          const z = tfl.layers
            .averagePooling2d({ poolSize: 2, name: 'p' })
            .apply(y) as tfl.SymbolicTensor;
          const base = tfl.model({ inputs: x, outputs: z, name: 'base' });
          return withHead(base, { classes: 3, hidden: [8], pooling: 'avg', seed: 4 });
        },
        [2, 12, 12, 3],
      ],
    ];

    it.each(models)(
      'writes %s as .h5 and .keras that h5py reads as Keras does',
      async (_, make, shape) => {
        const model = make();
        const x = tf.randomUniform(shape, 0, 1, 'float32', 5);
        const want = (model.predict(x) as tf.Tensor).dataSync();
        for (const name of ['model.h5', 'model.keras']) {
          const file = join(newDir(), name);
          const { bytes } = await saveKerasModel(model, file);
          expect(bytes).toBe(readFileSync(file).length);
          const back = readBack(file, x);
          expect(back.problems).toEqual([]);
          expect(maxDiff(back.output, want)).toBeLessThan(1e-4);
          // And cnnlab reads its own export back to the same numbers.
          const again = await loadKerasModel(file);
          expect(maxDiff((again.predict(x) as tf.Tensor).dataSync(), want)).toBeLessThan(1e-6);
        }
      },
    );

    it('writes atomically: a refused save leaves the old file and no scratch behind', async () => {
      const folder = newDir();
      const file = join(folder, 'model.keras');
      await saveKerasModel(smallCnn(), file);
      const old = readFileSync(file);
      const odd = tfl.sequential({ layers: [tfl.layers.batchNormalization({ inputShape: [4] })] });
      await expect(saveKerasModel(odd, file)).rejects.toThrow(
        /is a BatchNormalization, which cnnlab cannot write/,
      );
      expect(readFileSync(file).equals(old)).toBe(true);
      expect(readdirSync(folder)).toEqual(['model.keras']);
      await expect(saveKerasModel(smallCnn(), join(folder, 'model.json'))).rejects.toThrow(
        /expected a name ending in .keras \(Keras 3\) or .h5 \(Keras 2\)/,
      );
      expect(existsSync(join(folder, 'model.json'))).toBe(false);
    });

    it('gives the browser a download of the same bytes layout', async () => {
      const bytes = await browser.saveKerasModel(smallCnn(), 'trained.keras');
      expect([bytes[0], bytes[1], bytes[2], bytes[3]]).toEqual([0x50, 0x4b, 0x03, 0x04]);
      const model = await browser.loadKerasModel(bytes);
      expect(model.layers.length).toBe(7);
    });
  });
});
