import { denseMnist } from '@cnnlab/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { mnist, seeded } from '../test/mnist.js';
import { TrainError } from './errors.js';
import { evaluate } from './evaluate.js';
import { predict } from './predict.js';
import { train } from './train.js';

const model = seeded(5, () => denseMnist());

beforeAll(async () => {
  await train(model, mnist.train, { epochs: 1, batchSize: 128, seed: 2, verbose: 0 });
});

describe('evaluate', () => {
  it('returns a confusion matrix that sums to the samples and agrees with the accuracy', async () => {
    const before = tf.memory().numTensors;
    const result = await evaluate(model, mnist.test);
    expect(tf.memory().numTensors).toBe(before);
    const m = result.confusionMatrix;
    expect(m).toHaveLength(10);
    const total = m.flat().reduce((a, b) => a + b, 0);
    const trace = m.reduce((a, row, i) => a + row[i], 0);
    expect(total).toBe(2000);
    expect(trace / total).toBeCloseTo(result.accuracy, 12);
    expect(result.accuracy).toBeGreaterThan(0.85);
    expect(result.misclassified).toHaveLength(total - trace);
    // Rows are the true classes.
    const counts = new Array(10).fill(0);
    for (const label of mnist.test.labels) counts[label] += 1;
    expect(m.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(counts);
    result.perClassAccuracy.forEach((acc, c) => {
      expect(acc).toBeCloseTo(m[c][c] / counts[c], 12);
    });
    const [top] = result.mostConfused;
    expect(top.count).toBe(Math.max(...m.flatMap((row, a) => row.filter((_, p) => p !== a))));
    expect(m[top.actual][top.predicted]).toBe(top.count);
    for (const i of result.misclassified.slice(0, 20)) {
      expect(result.predicted[i]).not.toBe(mnist.test.labels[i]);
    }
    expect(result.loss).toBeGreaterThan(0);
  });
});

describe('predict', () => {
  it('gives the likeliest class, its probability and the top k, most likely first', async () => {
    const images = { data: mnist.test.images.data.subarray(0, 5 * 784), shape: [5, 28, 28] };
    const predictions = await predict(model, images, { topK: 4 });
    const result = await evaluate(model, mnist.test);
    expect(predictions).toHaveLength(5);
    predictions.forEach((p, i) => {
      expect(p.class).toBe(result.predicted[i]);
      expect(p.topK).toHaveLength(4);
      expect(p.topK[0]).toEqual({ class: p.class, probability: p.probability });
      for (let k = 1; k < 4; k++)
        expect(p.topK[k].probability).toBeLessThanOrEqual(p.topK[k - 1].probability);
      expect(p.probability).toBeGreaterThan(0.1);
      expect(p.probability).toBeLessThanOrEqual(1);
    });
    await expect(predict(model, images, { topK: 0 })).rejects.toThrow(TrainError);
  });

  it('scales pixels as the data declares (bytes by 1/255, floats as given) or by rescale', async () => {
    const bytes = { data: mnist.test.images.data.subarray(0, 20 * 784), shape: [20, 28, 28] };
    const raw = { data: Float32Array.from(bytes.data), shape: bytes.shape };
    const scaled = { data: Float32Array.from(bytes.data, (v) => v / 255), shape: bytes.shape };
    const probabilities = async (images: typeof bytes | typeof raw, rescale?: number) =>
      (await predict(model, images, { topK: 10, ...(rescale ? { rescale } : {}) })).map((p) =>
        p.topK.map((t) => t.probability),
      );
    const fromBytes = await probabilities(bytes);
    expect(await probabilities(scaled)).toEqual(fromBytes);
    expect(await probabilities(raw, 1 / 255)).toEqual(fromBytes);
    // Floats in [0, 255] are not guessed to be bytes: the network sees them as they are.
    expect(await probabilities(raw)).not.toEqual(fromBytes);
    const split = { images: raw, labels: mnist.test.labels.subarray(0, 20) };
    const asGiven = await evaluate(model, split);
    expect(asGiven.notes.join('\n')).not.toMatch(/scaled pixels/);
    const rescaled = await evaluate(model, split, { rescale: 1 / 255 });
    expect(rescaled.notes.join('\n')).toMatch(/scaled pixels by 0\.00392\d* \(rescale\)/);
    expect(rescaled.accuracy).toBe((await evaluate(model, { ...split, images: bytes })).accuracy);
    await expect(predict(model, bytes, { rescale: -1 })).rejects.toThrow(/rescale is -1/);
  });
});
