// Public surface of @cnnlab/backend in the browser (and any non-Node runtime). The Node build
// (node.ts) adds tfjs-node and the native OpenBLAS backend to the candidates.
import { BROWSER_CANDIDATES } from './browser-backends.js';
import { type BackendChoice, chooseBackend, type InitBackendOptions } from './init-backend.js';

export { BROWSER_CANDIDATES } from './browser-backends.js';
export { BackendError } from './errors.js';
export type { Attempt, BackendChoice, Candidate, InitBackendOptions } from './init-backend.js';
export { registerWasmTrainingKernels } from './wasm/register.js';

/**
 * Activates the best tfjs backend this browser offers among those the app registered (webgpu and
 * webgl on a real GPU, wasm with cnnlab's training kernels, webgl on a software rasteriser, cpu)
 * and says what it chose and why.
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  return chooseBackend(BROWSER_CANDIDATES, options, undefined);
}
