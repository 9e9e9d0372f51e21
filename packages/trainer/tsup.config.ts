import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // Peers and workspace packages stay imports: one copy of tfjs and of each cnnlab package.
  external: [/^@tensorflow\//, /^@cnnlab\//],
});
