// Public surface of @cnnlab/trainer in Node: everything of index.ts, plus checkpoints, log files
// and the Ctrl-C handler.
export * from './index.js';
export { type CsvLoggerOptions, csvLogger } from './node/csv-logger.js';
export {
  type InterruptHandler,
  type InterruptOptions,
  interruptHandler,
} from './node/interrupt.js';
export { type JsonLinesLoggerOptions, jsonLinesLogger } from './node/json-lines-logger.js';
export {
  type ModelCheckpoint,
  type ModelCheckpointOptions,
  modelCheckpoint,
} from './node/model-checkpoint.js';
