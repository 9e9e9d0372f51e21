import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { mnist } from '../test/mnist.js';
import { TrainError } from './errors.js';
import { type TransferProgress, transferExperiment } from './transfer-experiment.js';

describe('transferExperiment', () => {
  // Measured (native backend, 5 epochs of 150 digits after a base of 3 epochs on 4,106 digits
  // of 0–4): transferred 0.89, 0.82, 0.91 against scratch 0.76, 0.66, 0.82 on the 975 test
  // digits 5–9 with seeds 1, 2, 3. The margin asked for leaves room for other BLAS builds.
  it('beats the same network from scratch on digits 5–9 from 30 examples each', async () => {
    const before = tf.memory().numTensors;
    const progress: TransferProgress[] = [];
    const result = await transferExperiment(mnist, {
      examplesPerClass: [30],
      seed: 1,
      onProgress: (p) => {
        progress.push(p);
      },
    });
    const [run] = result.results;
    expect(run.examplesPerClass).toBe(30);
    expect(run.trainImages).toBe(150);
    expect(result.testImages).toBe(mnist.test.labels.filter((l) => l >= 5).length);
    expect(result.base.testAccuracy).toBeGreaterThan(0.9);
    expect(run.transferred.testAccuracy).toBeGreaterThan(run.scratch.testAccuracy + 0.05);
    expect(run.scratch.testAccuracy).toBeGreaterThan(0.2); // it learnt something: chance is 0.2
    // Only the head trains: Dense 64 on the 576 features and Dense 5, against all 92,997.
    expect(run.transferred.trainableParams).toBe(576 * 64 + 64 + 64 * 5 + 5);
    expect(run.scratch.trainableParams).toBe(92_997);
    for (const net of [run.transferred, run.scratch]) {
      for (const key of ['loss', 'acc', 'val_loss', 'val_acc'])
        expect(net.history[key]).toHaveLength(5);
      expect(net.history.val_acc[4]).toBeCloseTo(net.testAccuracy, 4);
    }
    // Every batch reported once, in order, ending at the total announced.
    expect(progress.map((p) => p.done)).toEqual(progress.map((_, i) => i + 1));
    expect(progress.at(-1)?.done).toBe(progress[0].total);
    expect([...new Set(progress.map((p) => p.phase))]).toEqual(['base', 'transferred', 'scratch']);
    // Every weight and optimizer slot freed again.
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('gives the same numbers from the same seed', async () => {
    const small = {
      examplesPerClass: [10],
      epochs: 2,
      baseEpochs: 1,
      baseExamples: 512,
      seed: 9,
    };
    // Timings aside, every number of two runs is the same.
    const numbers = (r: Awaited<ReturnType<typeof transferExperiment>>) =>
      r.results.map(({ transferred, scratch, ...rest }) => ({
        ...rest,
        transferred: { ...transferred, seconds: 0 },
        scratch: { ...scratch, seconds: 0 },
      }));
    const a = await transferExperiment(mnist, small);
    const b = await transferExperiment(mnist, small);
    expect(numbers(b)).toEqual(numbers(a));
    expect(b.base.history).toEqual(a.base.history);
    expect(a.base.trainImages).toBe(512);
  });

  it('rejects with the reason of an aborted signal', async () => {
    const controller = new AbortController();
    const stop = transferExperiment(mnist, {
      examplesPerClass: [10],
      onProgress: (p) => {
        if (p.done === 3) controller.abort(new Error('enough'));
      },
      signal: controller.signal,
    });
    await expect(stop).rejects.toThrow('enough');
  });

  it.each([
    [{ targetClasses: [4, 5, 6] }, /share 4; expected two separate sets/, 'targetClasses'],
    [{ sourceClasses: [0, 0, 1] }, /lists a class twice/, 'sourceClasses'],
    [{ targetClasses: [7] }, /at least two class indices/, 'targetClasses'],
    [{ examplesPerClass: [] }, /examplesPerClass is \[\]/, 'examplesPerClass'],
    [{ examplesPerClass: [10, 0] }, /examplesPerClass\[1\] is 0/, 'examplesPerClass[1]'],
    [{ epochs: 1.5 }, /epochs is 1.5; expected an integer >= 1/, 'epochs'],
    // The embedded set has 9xx training images of each digit: 2,000 is more than any has.
    [
      { examplesPerClass: [2000] },
      /data.train has \d+ images of class 5; expected at least 2000/,
      'data.train',
    ],
    [{ targetClasses: [5, 10] }, /data.train has 0 images of class 10/, 'data.train'],
  ] as const)('throws a TrainError for %j', async (options, message, argument) => {
    const error = await transferExperiment(mnist, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainError);
    expect((error as Error).message).toMatch(message);
    expect((error as TrainError).argument).toBe(argument);
  });
});
