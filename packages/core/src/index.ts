// Public surface of @cnnlab/core: browser-safe (no Node built-ins). The Node entry (node.ts) adds
// the file-system helpers.
export { CoreError } from './errors.js';
export {
  type Image,
  isIntegerArray,
  type LabeledImages,
  sizeOf,
  type TypedArray,
} from './image.js';
export {
  CONV2D_FILTER_BIAS_GRAD,
  type Conv2DFilterBiasGradAttrs,
  RMSPROP_UPDATE,
  type RMSPropUpdateAttrs,
} from './kernel-names.js';
export { permutation, type Random, seededRandom } from './random.js';
export { toCategorical } from './to-categorical.js';
