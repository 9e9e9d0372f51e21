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
});
