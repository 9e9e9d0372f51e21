import { permutation } from '@cnnlab/core';
import { denseMnist } from '@cnnlab/models';
import { describe, expect, it } from 'vitest';
import { mnist, seeded } from '../test/mnist.js';
import { earlyStopping } from './early-stopping.js';
import { evaluate } from './evaluate.js';
import { train } from './train.js';

function slice(split: typeof mnist.train, from: number, to: number) {
  return {
    images: { data: split.images.data.subarray(from * 784, to * 784), shape: [to - from, 28, 28] },
    labels: split.labels.subarray(from, to),
  };
}

describe('earlyStopping', () => {
  it('stops once val_loss rises and restores the best weights', async () => {
    // Validation labels shuffled: the more confident the model grows, the worse its val_loss.
    const validation = slice(mnist.test, 0, 500);
    const order = permutation(500, 7);
    validation.labels = Uint8Array.from(order, (i) => validation.labels[i]);
    const model = seeded(5, () => denseMnist());
    const stopper = earlyStopping({ monitor: 'val_loss', patience: 1, restoreBestWeights: true });
    const history = await train(model, slice(mnist.train, 0, 2000), {
      epochs: 20,
      batchSize: 64,
      seed: 1,
      validationData: validation,
      callbacks: [stopper],
      verbose: 0,
    });
    const losses = history.history.val_loss;
    expect(history.epoch.length).toBeLessThan(20);
    expect(stopper.stoppedEpoch).toBe(history.epoch.length - 1);
    expect(stopper.bestEpoch).toBe(losses.indexOf(Math.min(...losses)));
    expect(losses.at(-1)).toBeGreaterThan(stopper.best);
    expect(stopper.restored).toBe(true);
    // The weights now in the model are those of the best epoch.
    const now = await evaluate(model, validation);
    expect(now.loss).toBeCloseTo(stopper.best, 3);
  });

  it('maximises accuracies in auto mode and honours patience and minDelta', () => {
    let stopped = false;
    const model = {
      set stopTraining(v: boolean) {
        stopped = v;
      },
      getWeights: () => [],
      setWeights: () => {},
    } as never;
    const stopper = earlyStopping({ monitor: 'val_acc', patience: 2, minDelta: 0.01 });
    stopper.setModel?.(model);
    stopper.onTrainBegin?.();
    const accs = [0.5, 0.6, 0.605, 0.609, 0.7];
    for (const [epoch, val_acc] of accs.entries()) {
      stopper.onEpochEnd?.(epoch, { val_acc });
      if (stopped) break;
    }
    expect(stopped).toBe(true);
    expect(stopper.stoppedEpoch).toBe(3);
    expect(stopper.bestEpoch).toBe(1);
    expect(() => stopper.onEpochEnd?.(4, { loss: 1 })).toThrow(/lack/);
  });
});
