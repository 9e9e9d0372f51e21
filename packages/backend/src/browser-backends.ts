import * as tf from '@tensorflow/tfjs-core';
import type { Candidate } from './init-backend.js';
import { registerWasmTrainingKernels } from './wasm/register.js';

function registered(name: string, pkg: string): void {
  if (!tf.findBackendFactory(name)) throw new Error(`not registered (import '${pkg}' in the app)`);
}

/**
 * Browser candidates: the GPU first (webgpu, webgl), then wasm with cnnlab's training kernels,
 * then cpu. The app imports the backend packages it ships (so its bundler sees them, and it sets
 * the wasm files' location with setWasmPaths); initBackend picks the best that works here.
 */
export const BROWSER_CANDIDATES: readonly Candidate[] = [
  {
    id: 'webgpu',
    backend: 'webgpu',
    prepare: async () => {
      registered('webgpu', '@tensorflow/tfjs-backend-webgpu');
      if (!(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu)
        throw new Error('no WebGPU adapter');
      return 'WebGPU';
    },
  },
  {
    id: 'webgl',
    backend: 'webgl',
    prepare: async () => {
      registered('webgl', '@tensorflow/tfjs-backend-webgl');
      return 'WebGL';
    },
  },
  {
    id: 'wasm',
    backend: 'wasm',
    prepare: async () => {
      registered('wasm', '@tensorflow/tfjs-backend-wasm');
      const kernels = registerWasmTrainingKernels();
      return `wasm (XNNPACK) with ${kernels.length} cnnlab training kernels`;
    },
  },
  {
    id: 'cpu',
    backend: 'cpu',
    prepare: async () => {
      registered('cpu', '@tensorflow/tfjs-backend-cpu');
      return 'tfjs cpu (plain JavaScript)';
    },
  },
];
