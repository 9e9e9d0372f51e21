import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Logs, TrainCallback } from './callback.js';
import { TrainError } from './errors.js';
import { improvesUp, type MonitorMode } from './monitor.js';

export interface EarlyStoppingOptions {
  /** The logged value to watch. Default 'val_loss'. */
  monitor?: string;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** 'min', 'max', or 'auto' (from the name: accuracies go up, losses down). */
  mode?: MonitorMode;
  /** On stopping, put back the weights of the best epoch. Default false, as in Keras. */
  restoreBestWeights?: boolean;
}

export interface EarlyStopping extends TrainCallback {
  /** The epoch training stopped after (0-based), or -1 while it has not stopped. */
  readonly stoppedEpoch: number;
  /** The best epoch so far (0-based), or -1. */
  readonly bestEpoch: number;
  /** The best monitored value so far. */
  readonly best: number;
  /** Whether the best weights were put back. */
  readonly restored: boolean;
}

/** Keras's EarlyStopping: stops when `monitor` has not improved for `patience` epochs. */
export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStopping {
  const monitor = options.monitor ?? 'val_loss';
  const patience = options.patience ?? 0;
  const minDelta = Math.abs(options.minDelta ?? 0);
  if (!Number.isInteger(patience) || patience < 0) {
    throw new TrainError(`patience is ${patience}; expected an integer >= 0`, 'patience');
  }
  const up = improvesUp(monitor, options.mode ?? 'auto');
  let model: tfl.LayersModel | undefined;
  let bestWeights: tf.Tensor[] | undefined;
  let wait = 0;
  const state = {
    stoppedEpoch: -1,
    bestEpoch: -1,
    best: up ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
    restored: false,
  };
  const release = () => {
    if (bestWeights) tf.dispose(bestWeights);
    bestWeights = undefined;
  };
  const callback: TrainCallback = {
    setModel(m) {
      model = m;
    },
    onTrainBegin() {
      wait = 0;
      state.stoppedEpoch = -1;
      state.bestEpoch = -1;
      state.best = up ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      state.restored = false;
      release();
    },
    onEpochEnd(epoch, logs: Logs = {}) {
      const value = logs[monitor];
      if (value === undefined) {
        throw new TrainError(
          `earlyStopping monitors "${monitor}", which the logs lack; expected one of ${Object.keys(logs).join(', ')}`,
          'monitor',
        );
      }
      const better = up ? value - minDelta > state.best : value + minDelta < state.best;
      if (better) {
        state.best = value;
        state.bestEpoch = epoch;
        wait = 0;
        if (options.restoreBestWeights && model) {
          release();
          bestWeights = model.getWeights().map((w) => w.clone());
        }
        return;
      }
      wait += 1;
      if (wait >= patience && epoch > 0 && model) {
        state.stoppedEpoch = epoch;
        model.stopTraining = true;
        if (bestWeights) {
          model.setWeights(bestWeights);
          state.restored = true;
        }
      }
    },
    dispose: release,
  };
  // defineProperties, not Object.assign, so that the getters stay live.
  const readers = {
    get stoppedEpoch() {
      return state.stoppedEpoch;
    },
    get bestEpoch() {
      return state.bestEpoch;
    },
    get best() {
      return state.best;
    },
    get restored() {
      return state.restored;
    },
  };
  return Object.defineProperties(
    callback,
    Object.getOwnPropertyDescriptors(readers),
  ) as EarlyStopping;
}
