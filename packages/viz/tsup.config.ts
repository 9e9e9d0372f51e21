import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node.ts',
    charts: 'src/charts-node.ts',
    'charts-browser': 'src/charts-browser.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // vega and vega-lite are optional peers, loaded only by the charts entries' toSvg; core's
  // types are imported, never bundled.
  external: ['pngjs', 'vega', 'vega-lite', '@cnnlab/core'],
});
