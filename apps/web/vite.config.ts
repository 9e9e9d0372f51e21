import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { CROSS_ORIGIN_ISOLATION } from './vite-plugins/cross-origin-isolation';
import { selfContainedWasmWorker } from './vite-plugins/self-contained-wasm-worker';
import { serveTfjsWasm } from './vite-plugins/serve-tfjs-wasm';
import { vegaSpecs } from './vite-plugins/vega-specs';

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export default defineConfig({
  base: './',
  plugins: [serveTfjsWasm(), selfContainedWasmWorker(), vegaSpecs()],
  build: {
    target: 'es2022',
    // h5wasm's HDF5 (4.8 MB, its wasm inlined) is a chunk of its own, fetched only for Keras files.
    chunkSizeWarningLimit: 5000,
    // The workshop, and a page that measures this browser's backends (bench/browser.bench.mjs).
    rolldownOptions: { input: { main: page('./index.html'), bench: page('./bench.html') } },
  },
  // Cross-origin isolated, so that tfjs-backend-wasm runs threaded.
  server: { port: 5173, headers: CROSS_ORIGIN_ISOLATION },
  preview: { port: 4173, headers: CROSS_ORIGIN_ISOLATION },
});
