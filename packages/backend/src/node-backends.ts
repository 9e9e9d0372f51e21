import type { Candidate } from './init-backend.js';
import { registerNativeBackend } from './native/register.js';
import { prepareNodeWasmThreads } from './node-wasm-threads.js';
import { importOptional } from './optional-module.js';
import { registerWasmTrainingKernels } from './wasm/register.js';

/**
 * Node's candidates, fastest first: TensorFlow's own C library through tfjs-node-gpu or
 * tfjs-node when the app installed them, cnnlab's OpenBLAS backend, wasm with cnnlab's training
 * kernels, and tfjs's plain JavaScript cpu backend.
 */
export const NODE_CANDIDATES: readonly Candidate[] = [
  {
    id: 'tensorflow-gpu',
    backend: 'tensorflow',
    prepare: async () => {
      await importOptional('@tensorflow/tfjs-node-gpu');
      return 'TensorFlow C library with CUDA (@tensorflow/tfjs-node-gpu)';
    },
  },
  {
    id: 'tensorflow',
    backend: 'tensorflow',
    prepare: async () => {
      await importOptional('@tensorflow/tfjs-node');
      return 'TensorFlow C library (@tensorflow/tfjs-node)';
    },
  },
  {
    id: 'native',
    backend: 'cnnlab-native',
    prepare: async () => {
      const native = registerNativeBackend();
      if (!native.ok) throw new Error(native.reason);
      return `cnnlab native backend (${native.blas}; ${native.source}, ${native.threads} threads)`;
    },
  },
  {
    id: 'wasm',
    backend: 'wasm',
    prepare: async () => {
      await importOptional('@tensorflow/tfjs-backend-wasm');
      // Threaded unless CNNLAB_WASM_THREADS says otherwise (1: single-threaded).
      const asked = process.env.CNNLAB_WASM_THREADS?.trim();
      const threads = await prepareNodeWasmThreads(asked ? { threads: Number(asked) } : {});
      const kernels = registerWasmTrainingKernels();
      return `wasm (XNNPACK, ${threads.reason}) with ${kernels.length} cnnlab training kernels`;
    },
  },
  {
    id: 'cpu',
    backend: 'cpu',
    prepare: async () => {
      await importOptional('@tensorflow/tfjs-backend-cpu');
      return 'tfjs cpu (plain JavaScript, slow for CNNs)';
    },
    warning:
      "@cnnlab/backend: training on tfjs's plain-JavaScript cpu backend, about 1,000 times " +
      'slower than wasm for a CNN. Fix: reinstall @cnnlab/backend with its dependencies ' +
      '(it brings @tensorflow/tfjs-backend-wasm and, on linux-x64, darwin, win32-x64 and ' +
      'linux-arm64, the prebuilt native addon as an optional dependency)',
  },
];
