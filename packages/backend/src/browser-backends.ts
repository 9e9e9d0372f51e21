import * as tf from '@tensorflow/tfjs-core';
import { probeWebGl, probeWebGpu, type WebGlRenderer } from './browser-gpu-probe.js';
import { describeWasmBuild, wasmBuildFacts } from './browser-wasm-build.js';
import { BackendError } from './errors.js';
import { softwareAdapter, softwareRenderer } from './gpu-renderer.js';
import type { Candidate } from './init-backend.js';
import { registerWasmTrainingKernels } from './wasm/register.js';

function registered(name: string, pkg: string): void {
  if (!tf.findBackendFactory(name)) {
    throw new BackendError(`not registered (import '${pkg}' in the app)`);
  }
}

function describeWebGl(gl: WebGlRenderer): string {
  return `WebGL ${gl.version} on ${gl.masked ? 'a GPU the browser does not name' : gl.renderer}`;
}

/**
 * Browser candidates, fastest first: a real GPU (webgpu, webgl), then wasm with cnnlab's training
 * kernels, then WebGL on a software rasteriser (SwiftShader, llvmpipe, WARP: where a machine has
 * no usable GPU, as with `--disable-gpu`; wasm trains the workshop CNN an order of magnitude
 * faster there, but it still beats plain JavaScript), then cpu. The app imports the backend
 * packages it ships (so its bundler sees them, and it sets the wasm files' location with
 * setWasmPaths); initBackend picks the best that works here. `webgl-software` is the id to ask
 * for WebGL whatever renders it.
 */
export const BROWSER_CANDIDATES: readonly Candidate[] = [
  {
    id: 'webgpu',
    backend: 'webgpu',
    prepare: async () => {
      registered('webgpu', '@tensorflow/tfjs-backend-webgpu');
      const adapter = await probeWebGpu();
      const software = softwareAdapter(adapter);
      if (software)
        throw new BackendError(`WebGPU is software-rendered (${software}): wasm is faster`);
      const name = [adapter.vendor, adapter.architecture, adapter.description]
        .filter((part) => part)
        .join(' ');
      return `WebGPU on ${name || 'a GPU the browser does not name'}`;
    },
  },
  {
    id: 'webgl',
    backend: 'webgl',
    prepare: async () => {
      registered('webgl', '@tensorflow/tfjs-backend-webgl');
      const gl = probeWebGl();
      const software = softwareRenderer(gl.renderer);
      if (software)
        throw new BackendError(`WebGL is software-rendered (${software}): wasm is faster`);
      return describeWebGl(gl);
    },
  },
  {
    id: 'wasm',
    backend: 'wasm',
    prepare: async () => {
      registered('wasm', '@tensorflow/tfjs-backend-wasm');
      const kernels = registerWasmTrainingKernels();
      const build = describeWasmBuild(await wasmBuildFacts());
      return `wasm (XNNPACK, ${build}) with ${kernels.length} cnnlab training kernels`;
    },
  },
  {
    id: 'webgl-software',
    backend: 'webgl',
    prepare: async () => {
      registered('webgl', '@tensorflow/tfjs-backend-webgl');
      const gl = probeWebGl();
      const software = softwareRenderer(gl.renderer);
      if (!software) return describeWebGl(gl);
      return `WebGL ${gl.version}, software-rendered (${software}): slower than wasm, faster than tfjs cpu`;
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
