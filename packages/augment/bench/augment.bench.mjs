// Augmentation benchmark (pnpm bench): images per second for the workshop's generator
// (rotation 40°, shifts 0.2) on 28×28×1 in batches of 64, and on 150×150×3 (VGG16's input),
// one core. When python3 has scipy, the same per-image work through
// scipy.ndimage.affine_transform (what Keras calls) is timed in the same run.
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { ImageDataGenerator } from '../dist/index.js';

function images(n, h, w, c) {
  const data = new Uint8Array(n * h * w * c);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  return { data, shape: [n, h, w, c] };
}

function measure(x, batchSize, seconds) {
  const gen = new ImageDataGenerator({
    rotationRange: 40,
    widthShiftRange: 0.2,
    heightShiftRange: 0.2,
    seed: 1,
  });
  const flow = gen.flow(x, undefined, { batchSize, seed: 1 });
  // warm-up epoch
  for (const _ of flow) break;
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (const batch of flow) count += batch.xs.shape[0];
  }
  return (count / (performance.now() - start)) * 1000;
}

const rows = [];
const small = measure(images(1024, 28, 28, 1), 64, 3);
rows.push({
  task: 'cnnlab flow 28×28×1, batch 64',
  'images / s': Math.round(small).toLocaleString('en'),
});
const large = measure(images(64, 150, 150, 3), 64, 3);
rows.push({
  task: 'cnnlab flow 150×150×3, batch 64',
  'images / s': Math.round(large).toLocaleString('en'),
});

const python = `
import time, numpy as np
from scipy import ndimage
rng = np.random.default_rng(0)
def run(h, w, c, seconds):
    x = rng.integers(0, 256, size=(h, w, c)).astype(np.float32)
    n = 0; start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        t = np.deg2rad(rng.uniform(-40, 40)); tx = rng.uniform(-.2, .2) * h; ty = rng.uniform(-.2, .2) * w
        m = np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]]) @ np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
        o = np.array([[1, 0, h / 2 - .5], [0, 1, w / 2 - .5], [0, 0, 1]]); r = np.array([[1, 0, -(h / 2 - .5)], [0, 1, -(w / 2 - .5)], [0, 0, 1]])
        m = o @ m @ r
        np.stack([ndimage.affine_transform(x[:, :, k], m[:2, :2], m[:2, 2], order=1, mode='nearest') for k in range(c)], axis=-1)
        n += 1
    return n / (time.perf_counter() - start)
print(run(28, 28, 1, 3), run(150, 150, 3, 3))
`;
try {
  const [s, l] = execFileSync('python3', ['-c', python], { encoding: 'utf8' })
    .trim()
    .split(' ')
    .map(Number);
  rows.push({
    task: 'scipy affine_transform 28×28×1 (per image, as Keras)',
    'images / s': Math.round(s).toLocaleString('en'),
    'cnnlab vs scipy': `${(small / s).toFixed(1)}×`,
  });
  rows.push({
    task: 'scipy affine_transform 150×150×3 (per image, as Keras)',
    'images / s': Math.round(l).toLocaleString('en'),
    'cnnlab vs scipy': `${(large / l).toFixed(1)}×`,
  });
} catch {
  rows.push({ task: 'scipy (python3 with scipy not found, skipped)', 'images / s': '-' });
}

console.log(
  `@cnnlab/augment benchmark — ${cpus().length} cores (${cpus()[0]?.model.trim()}), one used, Node ${process.version}; rotation 40°, width/height shift 0.2, bilinear, 'nearest' fill`,
);
console.table(rows);
