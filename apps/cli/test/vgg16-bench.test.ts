import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist, seededRandom } from '@cnnlab/datasets/node';
import { loadModel, saveModel, vgg16 } from '@cnnlab/models/node';
import { decodePng } from '@cnnlab/viz/node';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestDigitPng } from './fixtures.js';
import { cnnlab } from './run-cli.js';

let tmp = '';
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cnnlab-vgg-'));
  // Only weights are made here; tfjs's advert for tfjs-node is noise in the test log.
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * Stand-in for Keras's converted ImageNet weights (which cannot be downloaded here): a VGG16 base
 * at 32×32 with He-uniform kernels, so that its random features keep their scale through all 13
 * convolutions (Glorot's leave them ~1e-4 at the top, too faint for a head to learn from).
 */
async function writeBaseWeights(dir: string): Promise<void> {
  const base = vgg16({ includeTop: false, inputShape: [32, 32, 3], seed: 3 });
  const random = seededRandom(7);
  for (const layer of base.layers) {
    const [kernel, bias] = layer.getWeights();
    if (kernel?.shape.length !== 4 || !bias) continue;
    const [kh = 3, kw = 3, cin = 1] = kernel.shape;
    const limit = Math.sqrt(6 / (kh * kw * cin));
    const values = Float32Array.from({ length: kernel.size }, () => (random() * 2 - 1) * limit);
    layer.setWeights([tf.tensor(values, kernel.shape), bias]);
  }
  await saveModel(base, dir);
  base.dispose();
}

describe('cnnlab train --model vgg16-transfer', () => {
  it('loads the base weights, keeps them frozen and trains the head on digits made 32×32×3', async () => {
    const weights = join(tmp, 'vgg16-base');
    await writeBaseWeights(weights);
    const out = join(tmp, 'vgg');
    const trained = await cnnlab(
      'train',
      '--model',
      'vgg16-transfer',
      '--weights',
      weights,
      '--classes',
      '0,1',
      '--limit',
      '300',
      '--epochs',
      '4',
      '--batch-size',
      '32',
      '--seed',
      '1',
      '--quiet',
      '--json',
      '--out',
      out,
    );
    expect(trained.stderr).not.toContain('cnnlab:');
    expect(trained.code).toBe(0);
    const result = JSON.parse(trained.stdout);
    expect(result.inputShape).toEqual([32, 32, 3]);
    expect(result.trainImages).toBe(300);
    // Zeros against ones through random frozen features: chance is 50%; measured 97%.
    expect(result.testAccuracy).toBeGreaterThan(0.8);

    // The saved model's base is the weights file's, unchanged; its head is new.
    const base = await loadModel(weights);
    const model = await loadModel(out);
    const expected = base.getLayer('block5_conv3').getWeights()[0];
    const actual = model.getLayer('block5_conv3').getWeights()[0];
    expect(
      actual && expected && tf.util.arraysEqual(await actual.data(), await expected.data()),
    ).toBe(true);
    expect(model.layers.at(-1)?.getWeights()[0]?.shape).toEqual([256, 2]);

    // predict and evaluate bring 28×28 grey inputs to the model's 32×32×3.
    const { test } = await loadMnist();
    const png = join(tmp, 'one.png');
    await writeTestDigitPng(png, test.labels.indexOf(1));
    const predicted = await cnnlab('predict', '--model-dir', out, png, '--json', '--quiet');
    expect(predicted.code).toBe(0);
    expect(JSON.parse(predicted.stdout)[0].label).toBe('1');
    const evaluated = await cnnlab(
      'evaluate',
      '--model-dir',
      out,
      '--limit',
      '300',
      '--json',
      '--quiet',
    );
    expect(evaluated.code).toBe(0);
    expect(JSON.parse(evaluated.stdout).accuracy).toBeCloseTo(result.testAccuracy, 5);
  });

  it('summarises the transfer model with Keras param counts and refuses small pictures', async () => {
    const summary = await cnnlab(
      'summary',
      '--model',
      'vgg16-transfer',
      '--image-size',
      '32',
      '--json',
    );
    expect(summary.code).toBe(0);
    const data = JSON.parse(summary.stdout);
    // VGG16's base (14,714,688, frozen) + Dense 512→256 (131,328) + Dense 256→3 (771).
    expect(data.totalParams).toBe(14_714_688 + 131_328 + 771);
    expect(data.nonTrainableParams).toBe(14_714_688);
    const small = await cnnlab(
      'train',
      '--model',
      'vgg16-transfer',
      '--image-size',
      '28',
      '--out',
      tmp,
    );
    expect(small.code).toBe(2);
    expect(small.stderr).toContain('--image-size expects a whole number from 32 to 512');
    const notVgg = await cnnlab('train', '--model', 'cnn', '--weights', tmp, '--out', tmp);
    expect(notVgg.code).toBe(2);
  });
});

describe('cnnlab filters', () => {
  it("draws the workshop's four panels with the 'full' smoothing whole", async () => {
    const png = join(tmp, 'seven.png');
    await writeTestDigitPng(png, 0);
    const figures = join(tmp, 'filters');
    const four = await cnnlab('filters', png, '--out', figures, '--json', '--quiet');
    expect(four.code).toBe(0);
    // Cells of the 30×30 'full' smoothing at ×5, 12 px apart.
    expect(decodePng(readFileSync(join(figures, 'filters.png'))).shape).toEqual([312, 312, 4]);
    const one = await cnnlab(
      'filters',
      png,
      '--kernel',
      'edge-detector',
      '--out',
      figures,
      '--json',
    );
    expect(one.code).toBe(0);
    // The digit (28×28) beside its 'valid' output (26×26), both ×6 so the output is ≥ 140 px.
    expect(JSON.parse(one.stdout).shape).toEqual([168, 2 * 168 + 12, 4]);
    expect(existsSync(join(figures, 'edge-detector-valid.png'))).toBe(true);
    const titles = readFileSync(join(figures, 'edge-detector-valid.svg'), 'utf8');
    expect(titles).toContain('>edge-detector, mode valid</text>');
  });
});

describe('cnnlab bench', () => {
  it('measures each backend asked for and says why the reference is missing', async () => {
    const { code, stdout } = await cnnlab(
      'bench',
      '--backends',
      'wasm',
      '--steps',
      '2',
      '--python',
      join(tmp, 'no-python'),
      '--json',
      '--quiet',
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.cores).toBeGreaterThanOrEqual(1);
    expect(result.cores).toBeLessThanOrEqual(cpus().length);
    expect(result.backends.map((b: { backend: string }) => b.backend)).toEqual(['wasm']);
    const [wasm] = result.backends;
    expect(wasm.cnnTrainSecondsPer1k).toBeGreaterThan(0);
    expect(wasm.denseTrainSecondsPer1k).toBeGreaterThan(0);
    // A dense step is far cheaper than a CNN step per image on any backend.
    expect(wasm.denseTrainSecondsPer1k).toBeLessThan(wasm.cnnTrainSecondsPer1k);
    expect(wasm.cnnPredictImagesPerSecond).toBeGreaterThan(0);
    expect(result.convolve2d.megapixelsPerSecond).toBeGreaterThan(0);
    expect(result.reference.pythonMissing).toContain('no-python');
    // Asked for by name, a backend that cannot run fails the command, as train --backend does.
    const missing = await cnnlab('bench', '--backends', 'wasm,tensorflow', '--no-reference');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^cnnlab: backend tensorflow: .*tfjs-node/);
    const bad = await cnnlab('bench', '--backends', 'cuda');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown backend 'cuda'");
  });

  it('times one shuffled epoch through train() on the first backend, with its metrics', async () => {
    const { code, stdout, stderr } = await cnnlab(
      'bench',
      '--backends',
      'wasm',
      '--steps',
      '2',
      '--epoch',
      '640',
      '--no-reference',
      '--json',
      '--quiet',
    );
    expect(stderr).not.toContain('cnnlab:');
    expect(code).toBe(0);
    const { epoch, backends } = JSON.parse(stdout);
    expect(epoch).toMatchObject({ images: 640, batchSize: 64, backend: 'wasm', steps: 10 });
    expect(epoch.seconds).toBeGreaterThan(0);
    // A step's time from the row's CNN figure: seconds per 1,000 images at batch 64.
    expect(epoch.stepSeconds).toBeCloseTo((backends[0].cnnTrainSecondsPer1k * 64) / 1000, 10);
    expect(epoch.overhead).toBeCloseTo(epoch.seconds / (10 * epoch.stepSeconds), 10);
    expect(epoch.overhead).toBeGreaterThan(0);
    expect(Number.isFinite(epoch.loss)).toBe(true);
    expect(epoch.loss).toBeGreaterThan(0);
    expect(epoch.acc).toBeGreaterThanOrEqual(0);
    expect(epoch.acc).toBeLessThanOrEqual(1);
    expect(epoch.peakRssMiB).toBeGreaterThan(10);
    // No reference, so nothing to set it beside.
    expect(epoch.torchSeconds).toBeUndefined();
    expect(epoch.ratio).toBeUndefined();
    const small = await cnnlab('bench', '--epoch', '10');
    expect(small.code).toBe(2);
    expect(small.stderr).toContain('--epoch expects a whole number from 64 to 600,000');
  });
});
