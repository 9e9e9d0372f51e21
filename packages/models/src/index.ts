// Public surface of @cnnlab/models, safe in browsers: no Node built-ins. The Node entry (node.ts)
// adds folders and paths to saveModel, loadModel, loadWeightsByName and vgg16.
export { activationModel } from './activation-model.js';
export { type CnnMnistOptions, cnnMnist } from './cnn-mnist.js';
export { type CnnSignLanguageOptions, cnnSignLanguage } from './cnn-sign-language.js';
export {
  type CompileLikeOptions,
  compileLike,
  KERAS_LOSSES,
  KERAS_METRICS,
  type KerasLoss,
  type KerasMetric,
  type KerasOptimizer,
} from './compile-like.js';
export { type DenseMnistOptions, denseMnist } from './dense-mnist.js';
export { ModelError } from './errors.js';
export { type FreezeOptions, freeze, type UnfreezeOptions, unfreeze } from './freeze.js';
export { fuseConvForTraining } from './fused-conv-training.js';
export type {
  LoadKerasWeightsOptions,
  LoadKerasWeightsReport,
  WeightMismatch,
} from './keras/apply-weights.js';
export {
  type KerasBytes,
  type KerasFileOptions,
  loadKerasModel,
  loadKerasWeights,
  saveKerasModel,
} from './keras/browser.js';
export { KERAS_LAYERS } from './keras/keras-config.js';
export { type KerasFormat, kerasFormatOf } from './keras/keras-files.js';
export type { LayerRef } from './layer-ref.js';
export {
  type LoadWeightsByNameOptions,
  type LoadWeightsReport,
  loadWeightsByName,
} from './load-weights-by-name.js';
export { FusedRMSPropOptimizer } from './rmsprop.js';
export { loadModel, type ModelDestination, saveModel } from './save-load.js';
export {
  countParams,
  formatCount,
  formatShape,
  formatSummary,
  type OutputShape,
  type ParamCounts,
  type SummaryData,
  type SummaryRow,
  summary,
  summaryData,
} from './summary.js';
export { type Vgg16, type Vgg16Options, vgg16 } from './vgg16.js';
export type { ModelSource } from './weights-source.js';
export { type HeadOptions, withHead } from './with-head.js';
export { withSeed } from './with-seed.js';
export type { WorkshopCnnOptions } from './workshop-cnn.js';
