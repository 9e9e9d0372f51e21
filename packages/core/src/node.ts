// Public surface of @cnnlab/core in Node: everything of index.ts, plus the file-system helpers.
export * from './index.js';
export { makeDirs, removeMadeDirs } from './node/make-dirs.js';
