import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts', charts: 'src/charts-node.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // vega and vega-lite are optional peers, loaded only by the charts entry's toSvg.
  external: ['pngjs', 'vega', 'vega-lite'],
});
