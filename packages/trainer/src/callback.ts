import type * as tfl from '@tensorflow/tfjs-layers';

/** Epoch or batch logs as the callbacks see them: numbers, already read from the backend. */
export type Logs = Record<string, number>;

/** What train tells callbacks before the first epoch. */
export interface TrainParams {
  epochs: number;
  /** Batches per epoch. */
  steps: number;
  /** Training samples per epoch. */
  samples: number;
  batchSize: number;
  /** Whether val_ metrics are logged at each epoch's end. */
  doValidation: boolean;
}

/**
 * A tfjs CustomCallbackArgs object (so it also works in `model.fit` directly), plus two hooks train
 * calls before fitting (`setModel`, `setParams`) and one after, even when fitting throws
 * (`dispose`).
 */
export interface TrainCallback {
  setModel?(model: tfl.LayersModel): void;
  setParams?(params: TrainParams): void;
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
  onYield?(epoch: number, batch: number, logs: Logs): void | Promise<void>;
  dispose?(): void | Promise<void>;
}

/** A plain hook: the functions given, called as tfjs calls a CustomCallback's. */
export function lambdaCallback(hooks: TrainCallback): TrainCallback {
  return hooks;
}
