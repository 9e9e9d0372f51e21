import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImageDataGenerator } from './generator.js';
import { flowDataset } from './tfjs.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('flowDataset', () => {
  it('feeds model.fitDataset, one flow epoch per dataset pass', async () => {
    // two classes a model can tell apart: dark and bright images
    const n = 64;
    const data = new Float32Array(n * 8 * 8);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i % 2;
      data.fill(labels[i] ? 220 : 30, i * 64, (i + 1) * 64);
    }
    const flow = new ImageDataGenerator({ rotationRange: 15, rescale: 1 / 255 }).flow(
      { data, shape: [n, 8, 8, 1] },
      labels,
      { batchSize: 16, seed: 2, numClasses: 2 },
    );
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [8, 8, 1] }),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    model.compile({
      optimizer: tf.train.adam(0.1),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const history = await model.fitDataset(flowDataset(flow), { epochs: 5, verbose: 0 });
    expect(flow.epoch).toBe(5);
    const acc = history.history.acc as number[];
    expect(acc).toHaveLength(5);
    expect(acc[4]).toBeGreaterThan(0.9);
    const first = await flowDataset(flow).take(1).toArray();
    expect(first[0].xs.shape).toEqual([16, 8, 8, 1]);
    expect(first[0].ys.shape).toEqual([16, 2]);
    tf.dispose(first.flatMap((b) => [b.xs, b.ys]));
  });
});
