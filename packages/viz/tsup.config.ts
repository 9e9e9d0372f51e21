import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // d3-scale-chromatic ships ESM only; bundled (with the d3 helpers it imports), the CJS build
  // loads without require(esm).
  noExternal: ['d3-scale-chromatic'],
  external: ['pngjs', 'vega', 'vega-lite'],
});
