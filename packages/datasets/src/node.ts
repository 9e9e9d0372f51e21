// Public surface of @cnnlab/datasets in Node: everything of index.ts, with loaders that also read
// folders, files and a download cache. These named exports take precedence over index.ts's.

export { makeDirs } from '@cnnlab/core/node';
export * from './index.js';
export {
  type DownloadOptions,
  type DownloadProgress,
  type DownloadRetry,
  download,
} from './node/download.js';
export {
  type ImageDirectoryOptions,
  imageDatasetFromDirectory,
} from './node/image-dataset-from-directory.js';
export { type LoadMnistOptions, loadFashionMnist, loadMnist } from './node/load-mnist.js';
export { loadSignMnist } from './node/load-sign-mnist.js';
export { cnnlabHome, defaultCacheDir, embeddedMnistDir } from './node/paths.js';
