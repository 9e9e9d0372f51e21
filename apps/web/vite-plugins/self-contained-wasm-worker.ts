import type { Plugin } from 'vite';

// The Emscripten factory of tfjs-backend-wasm's threaded build starts with these two statements,
// inside an arrow function that then returns the factory itself.
const SCRIPT_DIR_DECLARATION =
  /var _scriptDir = typeof document !== 'undefined' && document\.currentScript \? document\.currentScript\.src : undefined;\s*if \(typeof __filename !== 'undefined'\) _scriptDir = _scriptDir \|\| __filename;/;

/**
 * Keeps tfjs-backend-wasm's threaded build working after minification. tfjs starts each worker
 * thread from the factory's source text (`factory.toString()` in a Blob), so the factory must not
 * refer to anything around it. It reads one such variable, `_scriptDir`, guarded by
 * `typeof _scriptDir !== "undefined"`; a minifier that sees the declaration around the factory
 * drops the guard as always true, and every worker then dies of "ReferenceError: e is not
 * defined". Without the declaration the guard stays: `_scriptDir` is simply absent, as it is in a
 * worker anyway (tfjs locates the wasm files itself, through setWasmPaths).
 */
export function selfContainedWasmWorker(): Plugin {
  return {
    name: 'cnnlab-self-contained-wasm-worker',
    enforce: 'pre',
    transform(code, id) {
      if (!/tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/.test(id)) {
        return null;
      }
      if (!SCRIPT_DIR_DECLARATION.test(code)) {
        this.error(
          `${id}: the _scriptDir declaration this plugin removes was not found; check whether ` +
            'the threaded wasm build still starts its workers from factory.toString()',
        );
      }
      return { code: code.replace(SCRIPT_DIR_DECLARATION, ''), map: null };
    },
  };
}
