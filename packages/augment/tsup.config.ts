import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', tfjs: 'src/tfjs.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-data', '@cnnlab/core'],
});
