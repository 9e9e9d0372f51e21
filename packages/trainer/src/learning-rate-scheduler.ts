import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainCallback } from './callback.js';
import { TrainError } from './errors.js';

/** The rate fields tfjs's optimizers keep: most read `learningRate` at every step; sgd caches it. */
interface RateOptimizer {
  learningRate?: number;
  setLearningRate?: (rate: number) => void;
}

export interface LearningRateScheduler extends TrainCallback {
  /** The rate set for each epoch so far. */
  readonly rates: number[];
}

/** Keras's LearningRateScheduler: `schedule(epoch, rate)` gives each epoch's learning rate. */
export function learningRateScheduler(
  schedule: (epoch: number, rate: number) => number,
): LearningRateScheduler {
  let model: tfl.LayersModel | undefined;
  const rates: number[] = [];
  return {
    rates,
    setModel(m) {
      model = m;
    },
    onEpochBegin(epoch) {
      // tfjs types the optimizer without its rate fields; each optimizer class has them.
      const optimizer: (tfl.LayersModel['optimizer'] & RateOptimizer) | undefined =
        model?.optimizer;
      if (!optimizer || typeof optimizer.learningRate !== 'number') {
        throw new TrainError(
          'learningRateScheduler needs an optimizer with a numeric learningRate; expected a compiled model',
          'model.optimizer',
        );
      }
      const rate = schedule(epoch, optimizer.learningRate);
      if (!(Number.isFinite(rate) && rate > 0)) {
        throw new TrainError(
          `the schedule gave ${rate} for epoch ${epoch}; expected a positive learning rate`,
          'schedule',
        );
      }
      if (typeof optimizer.setLearningRate === 'function') optimizer.setLearningRate(rate);
      else optimizer.learningRate = rate;
      rates.push(rate);
    },
  };
}
