import { compileLike, denseMnist } from '@cnnlab/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { mnist } from '../test/mnist.js';
import { lambdaCallback } from './callback.js';
import { TrainError } from './errors.js';
import { findNonFiniteWeight } from './finite-weights.js';
import { terminateOnNaN } from './terminate-on-nan.js';
import { train } from './train.js';

const small = {
  images: { data: mnist.train.images.data.subarray(0, 512 * 784), shape: [512, 28, 28] },
  labels: mnist.train.labels.subarray(0, 512),
};

/**
 * Pixels far beyond [0, 1]: float inputs are not rescaled, and the first dense layer overflows.
 * Each at least 1.5e38, so that the first batch overflows whatever the initial weights and
 * dropout draw (at 1e38 × U(0, 1) a first batch was now and then still finite).
 */
function unnormalised(): { xs: tf.Tensor; ys: tf.Tensor } {
  return tf.tidy(() => ({
    xs: tf.mul(tf.randomUniform([512, 784], 0.5, 1, 'float32', 1), 3e38),
    ys: tf.oneHot(tf.tensor1d(Int32Array.from(small.labels), 'int32'), 10),
  }));
}

describe('terminateOnNaN', () => {
  it('stops train at the first NaN loss and throws a TrainError naming the likely causes', async () => {
    const model = denseMnist();
    compileLike(model, { optimizer: 'rmsprop' });
    const data = unnormalised();
    const batches: number[] = [];
    let epochsEnded = 0;
    const error = await train(model, data, {
      epochs: 3,
      batchSize: 64,
      verbose: 0,
      callbacks: [
        lambdaCallback({
          onBatchEnd: (batch) => {
            batches.push(batch);
          },
          onEpochEnd: () => {
            epochsEnded += 1;
          },
        }),
      ],
    }).catch((e: unknown) => e);
    tf.dispose([data.xs, data.ys]);
    expect(error).toBeInstanceOf(TrainError);
    expect((error as TrainError).argument).toBe('loss');
    expect((error as Error).message).toMatch(
      /^loss is (NaN|Infinity) at epoch 1 of 3, batch 1 of 8, so training stopped: the learning rate or the augmentation may be too large, or the inputs not normalised/,
    );
    // Stopped after that batch: one epoch end (cut short), no second epoch.
    expect(batches).toEqual([0]);
    expect(epochsEnded).toBe(1);
    expect(await findNonFiniteWeight(model)).toBeDefined();
  });

  it('lets training go on with terminateOnNaN: false, as Keras without the callback', async () => {
    const model = denseMnist();
    const data = unnormalised();
    const history = await train(model, data, {
      epochs: 1,
      batchSize: 128,
      verbose: 0,
      terminateOnNaN: false,
    });
    tf.dispose([data.xs, data.ys]);
    expect(history.epoch).toEqual([0]);
    expect(Number.isFinite(history.history.loss[0])).toBe(false);
  });

  it('ignores finite losses and records where it stopped', () => {
    const guard = terminateOnNaN();
    const model = { stopTraining: false };
    guard.setModel?.(model as never);
    guard.setParams?.({ epochs: 2, steps: 4, samples: 8, batchSize: 2, doValidation: false });
    guard.onTrainBegin?.();
    guard.onEpochBegin?.(1);
    guard.onBatchEnd?.(0, { loss: 0.5 });
    expect(guard.error()).toBeUndefined();
    guard.onBatchEnd?.(1, { loss: Number.NEGATIVE_INFINITY });
    expect(model.stopTraining).toBe(true);
    expect(guard.stoppedAt).toEqual({ epoch: 1, batch: 1, loss: Number.NEGATIVE_INFINITY });
    expect(guard.error()?.message).toMatch(/^loss is -Infinity at epoch 2 of 2, batch 2 of 4/);
  });
});
