import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { CROSS_ORIGIN_ISOLATION } from './cross-origin-isolation';

const require = createRequire(import.meta.url);
// The wasm backend's binaries: plain, SIMD, and threaded SIMD.
const wasmDir = dirname(
  require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'),
);
const wasmFiles = readdirSync(wasmDir).filter((name) => name.endsWith('.wasm'));

/**
 * Serves tfjs-backend-wasm's binaries offline under /wasm/ in `vite dev`, and copies all three
 * into the build's wasm/ folder, where the page's setWasmPaths points tfjs. tfjs picks the
 * threaded SIMD one where the page is cross-origin isolated, else SIMD, else plain.
 */
export function serveTfjsWasm(): Plugin {
  return {
    name: 'cnnlab-serve-tfjs-wasm',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.split('?')[0]?.replace(/^\/wasm\//, '');
        if (!req.url?.startsWith('/wasm/') || !name || !wasmFiles.includes(name)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        for (const [header, value] of Object.entries(CROSS_ORIGIN_ISOLATION)) {
          res.setHeader(header, value);
        }
        createReadStream(join(wasmDir, name)).pipe(res);
      });
    },
    generateBundle() {
      for (const name of wasmFiles) {
        this.emitFile({
          type: 'asset',
          fileName: `wasm/${name}`,
          source: readFileSync(join(wasmDir, name)),
        });
      }
    },
  };
}
