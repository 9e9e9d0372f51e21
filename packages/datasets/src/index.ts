// Public surface of @cnnlab/datasets: browser-safe (no Node built-ins). The Node build (node.ts)
// adds file and cache loaders under the same names, and imageDatasetFromDirectory. The shared
// image types, seeded random and one-hot encoding live in @cnnlab/core and are re-exported here
// (toCategorical throws DatasetErrors).

export {
  type Image,
  type LabeledImages,
  permutation,
  type Random,
  seededRandom,
  sizeOf,
  type TypedArray,
} from '@cnnlab/core';
export { type LoadMnistOptions, loadFashionMnist, loadMnist } from './browser/load-mnist.js';
export {
  type LoadSignMnistOptions,
  loadSignMnist,
  type SignMnistInput,
} from './browser/load-sign-mnist.js';
export type { Bytes } from './bytes.js';
export {
  type DatasetInfo,
  EMBEDDED_MNIST,
  FASHION_MNIST_INFO,
  MNIST_INFO,
  type PublishedFile,
} from './catalog.js';
export { COLOR_MODE_CHANNELS, type ColorMode, toColorMode } from './color-mode.js';
export {
  type DecodeImageOptions,
  decodeImage,
  type ImageFormat,
  imageFormat,
} from './decode-image.js';
export { DOWNLOAD_DEFAULTS, type DownloadLimits } from './download-limits.js';
export { embeddedMnistUrl, embeddedMnistUrls } from './embedded-location.js';
export { DatasetError } from './errors.js';
export { type GunzipOptions, GzipDecoder, isGzip, maybeGunzip } from './gzip.js';
export {
  type IdxArray,
  type IdxDtype,
  type ReadIdxOptions,
  readIdx,
  type WriteIdxOptions,
  writeIdx,
} from './idx.js';
export type {
  ImageDataset,
  ImageDatasetResult,
  UnlabeledImageDataset,
} from './image-dataset.js';
export { type ImageFile, imageDatasetFromFiles } from './image-dataset-from-files.js';
export type { ImageDatasetOptions, ImageSubset, LabelMode } from './image-dataset-options.js';
export { IMAGE_LIMITS, type ImageLimits } from './image-limits.js';
export {
  type DataSource,
  labeledFromIdx,
  MNIST_FILE_NAMES,
  MNIST_FILE_ROLES,
  type MnistData,
  type MnistFileRole,
  mnistFromFiles,
  readIdxImages,
  readIdxLabels,
} from './mnist-files.js';
export { type NormalizeOptions, normalize } from './normalize.js';
export { flatten, reshape, withChannels } from './reshape.js';
export { type ResizeImageOptions, resizeImage } from './resize-image.js';
export {
  type ClassMapping,
  ROCK_PAPER_SCISSORS,
  SIGN_MNIST_LABELS,
  SIGN_MNIST_LETTERS,
  SIGN_MNIST_MAX_BYTES,
  type SignMnistData,
  type SignMnistOptions,
  signMnistClasses,
} from './sign-mnist.js';
export { parseSignMnist, parseSignMnistStream, SignMnistCsvParser } from './sign-mnist-csv.js';
export { type TrainTestSplitOptions, trainTestSplit, validationSplit } from './split.js';
export { classCounts, selectClasses, shuffle, subset } from './subset.js';
export { toCategorical } from './to-categorical.js';
