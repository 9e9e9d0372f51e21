import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { type BackendName, seededValues, sizeOf, useBackend } from '../../test/wasm-helpers.js';

type ModelFactory = () => tf.Sequential;

const L = tf.layers;

/** The workshop's MNIST CNN. */
const workshopCnn: ModelFactory = () =>
  tf.sequential({
    layers: [
      L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      L.flatten(),
      L.dense({ units: 64, activation: 'relu' }),
      L.dense({ units: 10, activation: 'softmax' }),
    ],
  });

/** The workshop's dense network; the seeded dropout draws the same mask on both backends. */
const workshopDense: ModelFactory = () =>
  tf.sequential({
    layers: [
      L.dense({ units: 512, activation: 'relu', inputShape: [784] }),
      L.dropout({ rate: 0.5, seed: 7 }),
      L.dense({ units: 10, activation: 'softmax' }),
    ],
  });

/** VGG16's building blocks at toy size, the first block frozen as in transfer learning. */
const vggStyle: ModelFactory = () => {
  const frozen = [
    L.conv2d({
      filters: 8,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      inputShape: [16, 16, 3],
    }),
    L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
    L.maxPooling2d({ poolSize: 2, strides: 2 }),
  ];
  for (const layer of frozen) {
    layer.trainable = false;
  }
  return tf.sequential({
    layers: [
      ...frozen,
      L.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2, strides: 2 }),
      L.flatten(),
      L.dense({ units: 32, activation: 'relu' }),
      L.dense({ units: 10, activation: 'softmax' }),
    ],
  });
};

interface Batch {
  x: { values: Float32Array; shape: number[] };
  labels: number[];
}

function fixedBatch(inputShape: number[], size: number): Batch {
  const shape = [size, ...inputShape];
  const labels = Array.from(seededValues(size, 5, 0, 10), (v) => Math.floor(v));
  return { x: { values: seededValues(sizeOf(shape), 4, 0, 1), shape }, labels };
}

type Weights = Array<{ values: Float32Array; shape: number[] }>;

/** Initial weights drawn once (on cpu), so both backends start from the same point. */
async function initialWeights(factory: ModelFactory): Promise<Weights> {
  await useBackend('cpu');
  const model = factory();
  const weights = model
    .getWeights()
    .map((w) => ({ values: w.dataSync() as Float32Array, shape: w.shape }));
  model.dispose();
  return weights;
}

interface Run {
  losses: number[];
  tensorsPerStep: number[];
  frozenChanged: boolean;
}

async function train(
  backend: BackendName,
  factory: ModelFactory,
  weights: Weights,
  batch: Batch,
  optimizer: string,
  steps: number,
): Promise<Run> {
  await useBackend(backend);
  const model = factory();
  model.setWeights(weights.map((w) => tf.tensor(w.values, w.shape)));
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const x = tf.tensor(batch.x.values, batch.x.shape);
  const y = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), 10);
  const frozenBefore = model.layers
    .filter((l) => !l.trainable)
    .flatMap((l) => l.getWeights().map((w) => w.dataSync().slice()));
  const losses: number[] = [];
  const tensorsPerStep: number[] = [];
  for (let step = 0; step < steps; step++) {
    losses.push((await model.trainOnBatch(x, y)) as number);
    tensorsPerStep.push(tf.memory().numTensors);
  }
  const frozenAfter = model.layers
    .filter((l) => !l.trainable)
    .flatMap((l) => l.getWeights().map((w) => w.dataSync()));
  const frozenChanged = frozenAfter.some((w, i) => w.some((v, j) => v !== frozenBefore[i][j]));
  model.optimizer.dispose();
  model.dispose();
  tf.dispose([x, y]);
  return { losses, tensorsPerStep, frozenChanged };
}

function expectSameLosses(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  for (let step = 0; step < expected.length; step++) {
    const relative = Math.abs(actual[step] - expected[step]) / Math.abs(expected[step]);
    expect(relative, `step ${step}: ${actual[step]} vs ${expected[step]}`).toBeLessThan(1e-3);
  }
}

function expectNoLeaks(run: Run): void {
  // The optimizer creates its slots in the first step; from then on the count is flat.
  const settled = run.tensorsPerStep.slice(1);
  expect(new Set(settled).size, `tensors per step ${run.tensorsPerStep.join(', ')}`).toBe(1);
}

describe('training on wasm matches cpu step by step', () => {
  it('workshop CNN, rmsprop', async () => {
    const weights = await initialWeights(workshopCnn);
    const batch = fixedBatch([28, 28, 1], 4);
    const expected = await train('cpu', workshopCnn, weights, batch, 'rmsprop', 5);
    const actual = await train('wasm', workshopCnn, weights, batch, 'rmsprop', 5);
    expectSameLosses(actual.losses, expected.losses);
    expect(actual.losses[4]).toBeLessThan(actual.losses[0]);
    expectNoLeaks(actual);
  });

  for (const optimizer of ['rmsprop', 'adam']) {
    it(`workshop dense network with dropout, ${optimizer}`, async () => {
      const weights = await initialWeights(workshopDense);
      const batch = fixedBatch([784], 32);
      const expected = await train('cpu', workshopDense, weights, batch, optimizer, 5);
      const actual = await train('wasm', workshopDense, weights, batch, optimizer, 5);
      expectSameLosses(actual.losses, expected.losses);
      expectNoLeaks(actual);
    });
  }

  it('VGG-style blocks with a frozen block, adam', async () => {
    const weights = await initialWeights(vggStyle);
    const batch = fixedBatch([16, 16, 3], 6);
    const expected = await train('cpu', vggStyle, weights, batch, 'adam', 4);
    const actual = await train('wasm', vggStyle, weights, batch, 'adam', 4);
    expectSameLosses(actual.losses, expected.losses);
    expect(actual.frozenChanged).toBe(false);
    expectNoLeaks(actual);
  });
});

describe('no tensor leaks on wasm', () => {
  it('keeps tf.memory().numTensors flat over 8 steps of the workshop CNN at batch 64', async () => {
    await useBackend('wasm');
    const weights = await initialWeights(workshopCnn);
    const run = await train(
      'wasm',
      workshopCnn,
      weights,
      fixedBatch([28, 28, 1], 64),
      'rmsprop',
      8,
    );
    expectNoLeaks(run);
    expect(run.losses.every(Number.isFinite)).toBe(true);
  });
});
