// Convolution benchmark (pnpm bench): output pixels per second of convolve2d ('same', zero fill)
// for 28×28 and 512×512 images with 3×3 and 7×7 kernels, beside a plain per-pixel JavaScript
// loop and, when python3 has scipy, scipy.signal.convolve2d, in the same run.
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { Bench } from 'tinybench';
import { convolve2d, gaussianKernel } from '../dist/index.js';

function randomMatrix(rows, cols, seed) {
  let x = seed;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    data[i] = x / 2147483648 - 0.5;
  }
  return { data, shape: [rows, cols] };
}

/** The loop people write first: per output pixel, per tap, with bounds checks. */
function naiveSame(image, kernel) {
  const [H, W] = image.shape;
  const [K, L] = kernel.shape;
  const top = Math.floor((K - 1) / 2);
  const left = Math.floor((L - 1) / 2);
  const out = new Float64Array(H * W);
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) {
      let s = 0;
      for (let u = 0; u < K; u++) {
        for (let v = 0; v < L; v++) {
          const r = i + top - u;
          const c = j + left - v;
          if (r >= 0 && r < H && c >= 0 && c < W)
            s += image.data[r * W + c] * kernel.data[u * L + v];
        }
      }
      out[i * W + j] = s;
    }
  }
  return out;
}

const cases = [];
for (const size of [28, 512]) {
  for (const k of [3, 7]) {
    cases.push({ size, k, kernel: randomMatrix(k, k, 7 + k), label: `${k}×${k} general` });
  }
  cases.push({ size, k: 7, kernel: gaussianKernel(7, 1.5), label: '7×7 Gaussian (separable)' });
}

const bench = new Bench({ time: 700, warmup: true });
for (const c of cases) {
  const image = randomMatrix(c.size, c.size, c.size);
  c.image = image;
  bench.add(`cnnlab ${c.size}² ${c.label}`, () => convolve2d(image, c.kernel, { mode: 'same' }));
  bench.add(`naive JS ${c.size}² ${c.label}`, () => naiveSame(image, c.kernel));
}
await bench.run();

const pixels = (name) => (name.includes(' 28²') ? 28 * 28 : 512 * 512);
const rows = bench.tasks.map((task) => {
  const ms = task.result.latency?.mean ?? task.result.mean;
  return {
    task: task.name,
    'µs / call': (ms * 1000).toFixed(1),
    'Mpx / s': ((pixels(task.name) / ms) * 1e-3).toFixed(1),
  };
});

const python = `
import sys, timeit, numpy as np
from scipy.signal import convolve2d
for size in (28, 512):
    img = np.random.default_rng(0).random((size, size)) - 0.5
    for k in (3, 7):
        ker = np.random.default_rng(k).random((k, k))
        n, t = timeit.Timer(lambda: convolve2d(img, ker, 'same')).autorange()
        print(size, k, t / n)
`;
try {
  const out = execFileSync('python3', ['-c', python], { encoding: 'utf8' }).trim().split('\n');
  for (const line of out) {
    const [size, k, seconds] = line.split(' ').map(Number);
    const ours = rows.find((r) => r.task === `cnnlab ${size}² ${k}×${k} general`);
    rows.push({
      task: `scipy ${size}² ${k}×${k} general`,
      'µs / call': (seconds * 1e6).toFixed(1),
      'Mpx / s': ((size * size) / seconds / 1e6).toFixed(1),
      'cnnlab vs scipy': `${((seconds * 1e6) / Number(ours['µs / call'])).toFixed(2)}×`,
    });
  }
} catch {
  rows.push({
    task: 'scipy (python3 with scipy not found, skipped)',
    'µs / call': '-',
    'Mpx / s': '-',
  });
}

console.log(
  `@cnnlab/kernels convolve2d benchmark — ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, mode 'same', float64`,
);
console.table(rows);
