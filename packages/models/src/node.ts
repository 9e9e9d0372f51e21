// Public surface of @cnnlab/models in Node: everything of index.ts, with saveModel, loadModel,
// loadWeightsByName and vgg16 also taking folders and paths. These named exports take precedence
// over index.ts's.
export * from './index.js';
export { fileHandler } from './node/file-handler.js';
export { MAX_MODEL_JSON_BYTES, MODEL_JSON, WEIGHTS_BIN } from './node/folder-layout.js';
export { loadKerasModel, loadKerasWeights, saveKerasModel } from './node/keras.js';
export { readTextInFolder } from './node/read-model-json.js';
export { loadModel, loadWeightsByName, saveModel, vgg16 } from './node/save-load.js';
export { scratchPath } from './node/scratch.js';
