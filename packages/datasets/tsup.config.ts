import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts', tfjs: 'src/tfjs.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  // import.meta.url locates the shipped data folder; the shim makes it work in the CJS build too.
  shims: true,
  target: 'es2022',
  external: ['@tensorflow/tfjs-core'],
  esbuildOptions(options, context) {
    // Lets code tell the CJS bundle from the ESM one (src/node/paths.ts needs __dirname in CJS).
    options.define = { ...options.define, __CNNLAB_FORMAT__: JSON.stringify(context.format) };
  },
});
