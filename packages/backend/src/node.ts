// Public surface of @cnnlab/backend in Node: the browser surface, with initBackend choosing among
// tfjs-node-gpu, tfjs-node, the native OpenBLAS backend, wasm and cpu.
import { type BackendChoice, chooseBackend, type InitBackendOptions } from './init-backend.js';
import { NODE_CANDIDATES } from './node-backends.js';

export * from './index.js';
export { registerNativeBackend } from './native/register.js';
export { NODE_CANDIDATES } from './node-backends.js';
export {
  MAX_WASM_THREADS,
  type NodeWasmThreads,
  type NodeWasmThreadsOptions,
  prepareNodeWasmThreads,
} from './node-wasm-threads.js';

/**
 * Activates the fastest backend this machine can run — tfjs-node-gpu, tfjs-node, cnnlab's native
 * OpenBLAS backend, wasm with cnnlab's training kernels, then cpu — and says what it chose and
 * why. `CNNLAB_BACKEND` (tensorflow-gpu, tensorflow, native, wasm, cpu) forces one.
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  const forced = process.env.CNNLAB_BACKEND?.trim() || undefined;
  return chooseBackend(NODE_CANDIDATES, options, forced);
}
