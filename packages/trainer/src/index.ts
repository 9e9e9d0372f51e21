// Public surface of @cnnlab/trainer, safe in browsers: no Node built-ins. The Node entry (node.ts)
// adds the callbacks that write files or catch signals.
export { activations, type LayerActivation } from './activations.js';
export { type Logs, lambdaCallback, type TrainCallback, type TrainParams } from './callback.js';
export { type EarlyStopping, type EarlyStoppingOptions, earlyStopping } from './early-stopping.js';
export { TrainError } from './errors.js';
export {
  type ConfusedPair,
  type EvaluateOptions,
  type Evaluation,
  evaluate,
} from './evaluate.js';
export {
  checkFiniteWeights,
  findNonFiniteWeight,
  type NonFiniteWeight,
} from './finite-weights.js';
export type { BatchRecord, TrainHistory } from './history.js';
export {
  type LearningRateScheduler,
  learningRateScheduler,
} from './learning-rate-scheduler.js';
export type { MonitorMode } from './monitor.js';
export {
  type IndexedSplit,
  type PickClassesOptions,
  type PickedClasses,
  pickClasses,
} from './pick-classes.js';
export { type ClassProbability, type Prediction, type PredictOptions, predict } from './predict.js';
export type { LabeledData, Split, TensorData } from './prepare.js';
export {
  bar,
  formatLogs,
  type ProgressOptions,
  type ProgressStream,
  progressBar,
} from './progress.js';
export {
  type NonFiniteLoss,
  type TerminateOnNaN,
  terminateOnNaN,
} from './terminate-on-nan.js';
export { type TrainData, type TrainOptions, train } from './train.js';
export {
  type TransferComparison,
  type TransferData,
  type TransferExperiment,
  type TransferExperimentOptions,
  type TransferPhase,
  type TransferProgress,
  type TransferRun,
  transferExperiment,
} from './transfer-experiment.js';
