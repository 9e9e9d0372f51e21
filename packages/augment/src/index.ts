// Public surface of @cnnlab/augment: pure typed-array code, no tfjs (see ./tfjs for datasets).
export type { Augmenter } from './augmenter.js';
export { AugmentError } from './errors.js';
export { FILL_MODES, type FillMode } from './fill-mode.js';
export { type Batch, type FlowOptions, ImageFlow, type Labels } from './flow.js';
export { ImageDataGenerator, type ImageDataGeneratorOptions } from './generator.js';
export type { Image, NumericArray } from './image.js';
export { resample } from './resample.js';
export { type AffineMap, affineMap, IDENTITY, type TransformParams } from './transform.js';
export { type TranslateOptions, translate } from './translate.js';
