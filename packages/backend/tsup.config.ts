import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  // No shims: they would put Node's path and url into the browser build. The addon loader reads
  // __dirname where CJS has it and import.meta.url in ESM.
  shims: false,
  // The CJS build never reaches import.meta.url (__dirname comes first), so esbuild's warning
  // that it is empty there is expected.
  esbuildOptions(options) {
    options.logOverride = { ...options.logOverride, 'empty-import-meta': 'silent' };
  },
  target: 'es2022',
  external: [
    '@tensorflow/tfjs-core',
    '@tensorflow/tfjs-backend-cpu',
    '@tensorflow/tfjs-backend-wasm',
    '@tensorflow/tfjs-node',
    '@tensorflow/tfjs-node-gpu',
  ],
});
