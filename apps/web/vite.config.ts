import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const require = createRequire(import.meta.url);
// The wasm backend's binaries, served offline by the app itself under /wasm/.
const wasmDir = dirname(
  require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'),
);
const wasmFiles = readdirSync(wasmDir).filter((name) => name.endsWith('.wasm'));

function serveTfjsWasm(): Plugin {
  return {
    name: 'cnnlab-serve-tfjs-wasm',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.split('?')[0]?.replace(/^\/wasm\//, '');
        if (!req.url?.startsWith('/wasm/') || !name || !wasmFiles.includes(name)) return next();
        res.setHeader('Content-Type', 'application/wasm');
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

export default defineConfig({
  base: './',
  plugins: [serveTfjsWasm()],
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  server: { port: 5173 },
  preview: { port: 4173 },
});
