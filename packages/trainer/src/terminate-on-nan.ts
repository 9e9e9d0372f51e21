import type * as tfl from '@tensorflow/tfjs-layers';
import type { Logs, TrainCallback, TrainParams } from './callback.js';
import { TrainError } from './errors.js';

/** Where the loss stopped being a number. */
export interface NonFiniteLoss {
  /** 0-based epoch and batch. */
  epoch: number;
  batch: number;
  /** NaN, Infinity or -Infinity. */
  loss: number;
}

export interface TerminateOnNaN extends TrainCallback {
  /** The batch whose loss was not finite, once training has stopped there. */
  readonly stoppedAt: NonFiniteLoss | undefined;
  /** A TrainError saying where and why training stopped, or undefined while it has not. */
  error(): TrainError | undefined;
}

/** The usual reasons for a loss that becomes NaN or infinite, for the message. */
const NON_FINITE_CAUSES =
  'the learning rate or the augmentation may be too large, or the inputs not normalised (expected pixels in [0, 1])';

/**
 * Keras's TerminateOnNaN: stops training after the first batch whose loss is NaN or infinite, as
 * nothing useful comes of the steps after it (every weight the next update touches turns NaN).
 * `train` adds one unless `terminateOnNaN: false`, and then throws `error()`.
 */
export function terminateOnNaN(): TerminateOnNaN {
  let model: tfl.LayersModel | undefined;
  let params: TrainParams | undefined;
  let epoch = 0;
  let stoppedAt: NonFiniteLoss | undefined;
  return {
    get stoppedAt() {
      return stoppedAt;
    },
    error() {
      if (!stoppedAt) return undefined;
      const steps = params ? ` of ${params.steps}` : '';
      const epochs = params ? ` of ${params.epochs}` : '';
      return new TrainError(
        `loss is ${stoppedAt.loss} at epoch ${stoppedAt.epoch + 1}${epochs}, batch ${stoppedAt.batch + 1}${steps}, so training stopped: ${NON_FINITE_CAUSES}`,
        'loss',
      );
    },
    setModel(m) {
      model = m;
    },
    setParams(p) {
      params = p;
    },
    onTrainBegin() {
      stoppedAt = undefined;
    },
    onEpochBegin(e) {
      epoch = e;
    },
    onBatchEnd(batch, logs: Logs = {}) {
      const loss = logs.loss;
      if (loss === undefined || Number.isFinite(loss) || stoppedAt) return;
      stoppedAt = { epoch, batch, loss };
      if (model) model.stopTraining = true;
    },
  };
}
