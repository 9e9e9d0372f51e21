// Training benchmark (pnpm bench; not a test): the workshop CNN (batch 64) and dense network
// (batch 256), rmsprop, for a fixed number of steps on every backend this machine offers, side
// by side with the same two networks in PyTorch when a python3 with torch is found, then a
// per-kernel profile of one CNN step on each backend. Figures are seconds per 1,000 images.
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { NODE_CANDIDATES } from '../dist/node.js';

const STEPS = {
  cnn: Number(process.env.BENCH_STEPS ?? 20),
  dense: Number(process.env.BENCH_STEPS ?? 20),
};
// The plain cpu backend needs minutes per 1,000 CNN images; a couple of steps tell enough.
const CPU_STEPS = 2;

function cnn() {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

function dense() {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 512, activation: 'relu' }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

function batch(kind, size) {
  return tf.tidy(() => {
    const xs = tf.randomUniform(
      kind === 'cnn' ? [size, 28, 28, 1] : [size, 784],
      0,
      1,
      'float32',
      1,
    );
    const labels = tf.randomUniform([size], 0, 10, 'int32', 2);
    return { xs, ys: tf.oneHot(labels, 10).toFloat() };
  });
}

async function timeTraining(kind, steps) {
  const size = kind === 'cnn' ? 64 : 256;
  const model = kind === 'cnn' ? cnn() : dense();
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' });
  const { xs, ys } = batch(kind, size);
  await model.trainOnBatch(xs, ys); // warm-up: kernels compiled, buffers allocated
  const before = tf.memory().numTensors;
  const start = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(xs, ys);
  const seconds = (performance.now() - start) / 1000;
  const leaked = tf.memory().numTensors - before;
  let profile = null;
  if (kind === 'cnn') {
    const info = await tf.profile(() => model.trainOnBatch(xs, ys));
    const byKernel = new Map();
    for (const k of info.kernels)
      byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (Number(k.kernelTimeMs) || 0));
    profile = [...byKernel.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  }
  tf.dispose([xs, ys]);
  model.dispose();
  return { perThousand: (seconds / (steps * size)) * 1000, leaked, profile };
}

const rows = [];
const profiles = [];
for (const candidate of NODE_CANDIDATES) {
  let label;
  try {
    label = await candidate.prepare();
    if (!(await tf.setBackend(candidate.backend))) throw new Error('setBackend failed');
    await tf.ready();
  } catch (error) {
    rows.push({
      backend: candidate.id,
      note: `unavailable: ${String(error.message).split('\n')[0]}`,
    });
    continue;
  }
  const steps = candidate.id === 'cpu' ? CPU_STEPS : STEPS.cnn;
  const c = await timeTraining('cnn', steps);
  const d = await timeTraining('dense', candidate.id === 'cpu' ? CPU_STEPS : STEPS.dense);
  rows.push({
    backend: candidate.id,
    'CNN s/1k img': c.perThousand.toFixed(3),
    'dense s/1k img': d.perThousand.toFixed(3),
    'leaked tensors': c.leaked + d.leaked,
    note: label,
  });
  profiles.push({ backend: candidate.id, profile: c.profile });
}

const torchScript = `
import sys, time, torch, torch.nn as nn
torch.set_num_threads(${cpus().length}); torch.manual_seed(0)
def run(model, x, y, steps):
    opt = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    def step():
        opt.zero_grad(); loss = loss_fn(model(x), y); loss.backward(); opt.step()
    step()
    t = time.perf_counter()
    for _ in range(steps): step()
    return (time.perf_counter() - t) / (steps * x.shape[0]) * 1000
cnn = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(), nn.Linear(576, 64), nn.ReLU(), nn.Linear(64, 10))
dense = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 10))
a = run(cnn, torch.rand(64, 1, 28, 28), torch.randint(0, 10, (64,)), ${STEPS.cnn})
b = run(dense, torch.rand(256, 784), torch.randint(0, 10, (256,)), ${STEPS.dense})
print(a, b, torch.__version__)
`;
let torch = null;
for (const python of ['python3', '/usr/bin/python3']) {
  try {
    const [a, b, version] = execFileSync(python, ['-c', torchScript], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      // glibc's malloc otherwise hands PyTorch's step buffers back to the kernel every step,
      // which made its timing 2–5× slower here than its own steady state (see cnnlab bench).
      env: {
        ...process.env,
        MALLOC_MMAP_THRESHOLD_: String(64 << 20),
        MALLOC_TRIM_THRESHOLD_: String(256 << 20),
      },
    })
      .trim()
      .split(' ');
    torch = { cnn: Number(a), dense: Number(b), version };
    break;
  } catch {}
}
if (torch) {
  rows.push({
    backend: `PyTorch ${torch.version}`,
    'CNN s/1k img': torch.cnn.toFixed(3),
    'dense s/1k img': torch.dense.toFixed(3),
    note: `${cpus().length} threads`,
  });
  for (const row of rows) {
    if (row['CNN s/1k img'] && !row.backend.startsWith('PyTorch')) {
      row['CNN vs PyTorch'] = `${(Number(row['CNN s/1k img']) / torch.cnn).toFixed(2)}×`;
      row['dense vs PyTorch'] = `${(Number(row['dense s/1k img']) / torch.dense).toFixed(2)}×`;
    }
  }
} else {
  rows.push({
    backend: 'PyTorch',
    note: 'no python3 with torch found (Debian: apt-get install python3-torch)',
  });
}

console.log(
  `@cnnlab/backend training benchmark — ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}`,
);
console.log(
  `workshop CNN batch 64 and dense network batch 256, rmsprop, ${STEPS.cnn} timed steps (cpu: ${CPU_STEPS}); ratios > 1 are slower than PyTorch`,
);
console.table(rows);
for (const { backend, profile } of profiles) {
  console.log(
    `one CNN step on ${backend}, ms by kernel: ${profile.map(([k, ms]) => `${k} ${ms.toFixed(1)}`).join(', ')}`,
  );
}
