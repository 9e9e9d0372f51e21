// Times the hot paths on a workshop-sized activation: run `pnpm bench` after `pnpm build`.
import { activationGrid, encodePng, terminalPreview } from '../dist/node.js';

const [h, w, c] = [26, 26, 64];
const data = new Float32Array(h * w * c).map((_, i) => Math.sin(i * 0.013) * ((i % c) + 1));
const activation = { data, shape: [1, h, w, c] };
const grid = activationGrid(activation);

function time(name, fn, runs = 50) {
  fn();
  const start = performance.now();
  for (let i = 0; i < runs; i++) fn();
  console.log(`${name}: ${((performance.now() - start) / runs).toFixed(2)} ms`);
}

time('activationGrid 26×26×64', () => activationGrid(activation));
time('encodePng 104×416', () => encodePng(grid));
time('terminalPreview width 80', () => terminalPreview(grid, { width: 80 }));
