import { execFile } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { promisify } from 'node:util';
import { NODE_CANDIDATES } from '@cnnlab/backend/node';
import { loadMnist } from '@cnnlab/datasets/node';
import { convolve2d, namedKernel } from '@cnnlab/kernels';
import { cnnMnist, compileLike, denseMnist, fuseConvForTraining } from '@cnnlab/models';
import { train as trainModel } from '@cnnlab/trainer';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { Option } from 'commander';
import { examples, type Register } from '../command.js';
import { CliError, usageError } from '../errors.js';
import { whole } from '../options.js';
import type { Output } from '../output.js';
import { progressBar } from '../progress.js';

/** A bench-only id: wasm with threads turned off, measured in a child process of its own. */
export const SINGLE_THREAD_WASM = 'wasm-1thread';

export const registerBench: Register = (parent, run) =>
  parent
    .command('bench')
    .description(
      'how fast the workshop\u2019s networks train and predict on each backend here, beside PyTorch and scipy',
    )
    .option(
      '--backends <list>',
      'backend ids to measure, e.g. native,wasm,wasm-1thread (default: all but cpu)',
    )
    .option(
      '--steps <n>',
      'timed training steps per network, after as many unmeasured ones (at most 10); the median step counts',
      whole('--steps', { min: 1, max: 100_000 }),
      20,
    )
    .option(
      '--python <path>',
      'the python3 whose PyTorch and scipy are the reference (default: python3, then /usr/bin/python3)',
    )
    .option('--no-reference', 'skip the PyTorch and scipy reference')
    .addOption(
      new Option(
        '--epoch [images]',
        "also time one shuffled epoch through @cnnlab/trainer's train() on this many digits in memory (the embedded 8,000 repeated), beside PyTorch's",
      )
        .preset(String(EPOCH_IMAGES))
        .argParser(whole('--epoch', { min: 64, max: 600_000 })),
    )
    .addHelpText(
      'after',
      examples([
        'cnnlab bench',
        'cnnlab bench --backends native,wasm,cpu --steps 5',
        'cnnlab bench --json --no-reference',
        'cnnlab bench --backends native --epoch          # one epoch of 60,000 images',
        'cnnlab bench --backends native --steps 2 --epoch 2000',
      ]) +
        '\nFigures are seconds per 1,000 training images in the median step (lower is better) and images per second for prediction.\n' +
        "PyTorch runs with glibc's malloc thresholds raised (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_), its steady state.\n",
    )
    .action(async (opts, cmd) => {
      const backends = opts.backends
        ? String(opts.backends)
            .split(',')
            .map((s: string) => s.trim())
            .filter(Boolean)
        : undefined;
      const python = opts.python ?? (opts.reference === false ? null : undefined);
      const epoch = typeof opts.epoch === 'number' ? opts.epoch : undefined;
      await run((out) => benchCommand({ steps: opts.steps, backends, python, epoch }, out), cmd);
    });

export interface BenchOptions {
  /** Backend ids to measure; default every one this machine offers except plain cpu. */
  backends?: string[];
  /** Timed training steps per network. */
  steps: number;
  /**
   * The python3 whose PyTorch and scipy are the reference; undefined tries `python3` then the
   * system's /usr/bin/python3 (a virtualenv's python often lacks torch); null skips it.
   */
  python?: string | null;
  /**
   * Images of one shuffled epoch through @cnnlab/trainer's train(), timed on the first backend
   * measured here (and in PyTorch beside it); undefined skips the epoch.
   */
  epoch?: number;
}

/** One epoch through train() on the first backend measured, beside PyTorch's epoch. */
export interface EpochFigures {
  images: number;
  batchSize: number;
  /** Why it was not measured, when it was asked for but no backend ran in this process. */
  note?: string;
  backend?: string;
  /** Wall clock of the train() call, its data preparation included. */
  seconds?: number;
  steps?: number;
  /** Seconds of one CNN training step at this batch size, from the row's cnnTrainSecondsPer1k. */
  stepSeconds?: number;
  /** seconds / (steps × stepSeconds): what the epoch costs beyond its steps. */
  overhead?: number;
  /** The process's peak resident set after the epoch (process.resourceUsage().maxRSS). */
  peakRssMiB?: number;
  /** The epoch's metrics as train() logs them (Keras's keys). */
  loss?: number;
  acc?: number;
  torchSeconds?: number;
  torchPeakRssMiB?: number;
  /** seconds / torchSeconds. */
  ratio?: number;
}

export interface BackendFigures {
  backend: string;
  note: string;
  /** Who gets this backend: the install path or setting that leads to it. */
  who?: string;
  /** Seconds to train on 1,000 images: the workshop CNN at batch 64, the dense net at 256. */
  cnnTrainSecondsPer1k?: number;
  denseTrainSecondsPer1k?: number;
  /** CNN inference, batch 256 (the same 64 digits four times). */
  cnnPredictImagesPerSecond?: number;
}

/** Who trains on each backend: how a user ends up there (the README's install table). */
const WHO: Record<string, string> = {
  'tensorflow-gpu': 'apps that install @tensorflow/tfjs-node-gpu',
  tensorflow: 'apps that install @tensorflow/tfjs-node',
  native: 'npm, pnpm or yarn where a prebuilt @cnnlab/backend-<platform> exists, any script policy',
  wasm: '--omit=optional, platforms without a prebuilt addon (threaded in Node)',
  [SINGLE_THREAD_WASM]: 'the same, with CNNLAB_WASM_THREADS=1',
  cpu: 'nothing else could start (initBackend warns)',
};

const CNN_BATCH = 64;
const DENSE_BATCH = 256;
const CONV_SIDE = 512;
/** --epoch without a number: MNIST's training set. */
const EPOCH_IMAGES = 60_000;

/**
 * PyTorch at its best: with glibc's default malloc a training step's large buffers go back to the
 * kernel when freed and come back as fresh pages the next step, which measured here made PyTorch's
 * fixed-batch loop 2–5× slower than the same steps after one large allocation had raised glibc's
 * dynamic mmap threshold. Pinning the thresholds keeps the buffers in the heap, so the reference
 * does not depend on what the script happened to run first.
 */
const REFERENCE_MALLOC = {
  MALLOC_MMAP_THRESHOLD_: String(64 << 20),
  MALLOC_TRIM_THRESHOLD_: String(256 << 20),
};

/** Python side of the comparison: the same networks, batch sizes and optimizer, then scipy. */
function referenceScript(steps: number, threads: number, epochImages = 0): string {
  return `
import json, time
out = {}
try:
    import torch, torch.nn as nn
    torch.set_num_threads(${threads}); torch.manual_seed(0)
    def timed(model, x, y):
        opt = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
        loss_fn = nn.CrossEntropyLoss()
        def step():
            opt.zero_grad(); loss_fn(model(x), y).backward(); opt.step()
        for _ in range(${warmupSteps(steps)}): step()
        times = []
        for _ in range(${steps}):
            t = time.perf_counter(); step(); times.append(time.perf_counter() - t)
        times.sort()
        mid = len(times) // 2
        median = times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2
        return median / x.shape[0] * 1000
    def make_cnn():
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3),
            nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(),
            nn.Linear(576, 64), nn.ReLU(), nn.Linear(64, 10))
    cnn = make_cnn()
    dense = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 10))
    mkldnn = torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled
    out['torch'] = {'version': torch.__version__,
        'convolutions': 'oneDNN (mkldnn)' if mkldnn else "PyTorch's own im2col and BLAS",
        'cnn': timed(cnn, torch.rand(${CNN_BATCH}, 1, 28, 28), torch.randint(0, 10, (${CNN_BATCH},))),
        'dense': timed(dense, torch.rand(${DENSE_BATCH}, 784), torch.randint(0, 10, (${DENSE_BATCH},)))}
    cnn.eval()
    with torch.no_grad():
        x = torch.rand(256, 1, 28, 28); cnn(x)
        t = time.perf_counter()
        for _ in range(4): cnn(x)
        out['torch']['predict'] = 1024 / (time.perf_counter() - t)
    n = ${epochImages}
    if n:
        import resource
        # One epoch as Keras's fit runs it: a new order each epoch, batches gathered by index, loss
        # and accuracy accumulated over the epoch. Random pixels in [0, 1] and random labels: the
        # speed depends on the shapes only, not on the values.
        ex = torch.rand(n, 1, 28, 28); ey = torch.randint(0, 10, (n,))
        model = make_cnn(); model.train()
        opt = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
        loss_fn = nn.CrossEntropyLoss()
        t = time.perf_counter()
        perm = torch.randperm(n)
        total, correct = 0.0, 0
        for start in range(0, n, ${CNN_BATCH}):
            idx = perm[start:start + ${CNN_BATCH}]
            xb, yb = ex[idx], ey[idx]
            opt.zero_grad()
            logits = model(xb)
            loss = loss_fn(logits, yb)
            loss.backward(); opt.step()
            total += loss.item() * len(idx)
            correct += (logits.argmax(1) == yb).sum().item()
        seconds = time.perf_counter() - t
        # ru_maxrss is KiB on Linux.
        out['torch']['epoch'] = {'seconds': seconds,
            'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            'loss': total / n, 'acc': correct / n}
except ImportError as e:
    out['torchMissing'] = str(e)
try:
    import numpy as np, scipy
    from scipy.signal import convolve2d
    img = np.random.default_rng(0).random((${CONV_SIDE}, ${CONV_SIDE}))
    k = np.ones((3, 3)) / 9
    convolve2d(img, k, mode='same')
    t = time.perf_counter()
    for _ in range(5): convolve2d(img, k, mode='same')
    out['scipy'] = {'version': scipy.__version__, 'mpx': 5 * ${CONV_SIDE * CONV_SIDE} / (time.perf_counter() - t) / 1e6}
except ImportError as e:
    out['scipyMissing'] = str(e)
print(json.dumps(out))
`;
}

/** One-hot labels and pixels in [0, 1] of the first n embedded digits. */
function digitBatch(
  images: Uint8Array,
  labels: Uint8Array,
  n: number,
  flat: boolean,
): { xs: tf.Tensor; ys: tf.Tensor } {
  return tf.tidy(() => {
    const xs = tf.tensor(
      Float32Array.from(images.subarray(0, n * 784), (v) => v / 255),
      flat ? [n, 784] : [n, 28, 28, 1],
    );
    const ys = tf.oneHot(tf.tensor1d(Array.from(labels.subarray(0, n)), 'int32'), 10);
    return { xs, ys };
  });
}

/**
 * Unmeasured steps before the timed ones, the same on both sides: cnnlab's first dozen steps take
 * about half again as long as later ones (V8 optimising the step's code, the buffer pool
 * filling), PyTorch's first one or two.
 */
const WARMUP_STEPS = 10;
const warmupSteps = (steps: number) => Math.min(WARMUP_STEPS, steps);

/** The middle value: a garbage collection or a neighbour's burst in one step does not move it. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Seconds per 1,000 images of the median step, after warmupSteps unmeasured ones. */
async function secondsPer1k(
  model: LayersModel,
  batch: { xs: tf.Tensor; ys: tf.Tensor },
  steps: number,
  tick: () => void,
): Promise<number> {
  // Compiled and fused as train() does it (the workshop's rmsprop, conv + bias + relu as one
  // kernel), so the figure is what users get.
  compileLike(model, { optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: [] });
  fuseConvForTraining(model);
  for (let i = 0; i < warmupSteps(steps); i++) await model.trainOnBatch(batch.xs, batch.ys);
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    await model.trainOnBatch(batch.xs, batch.ys);
    times.push((performance.now() - start) / 1000);
    tick();
  }
  const size = batch.xs.shape[0] ?? 1;
  return (median(times) / size) * 1000;
}

async function imagesPerSecond(model: LayersModel, xs: tf.Tensor): Promise<number> {
  // One batch of them all, as PyTorch runs it and @cnnlab/trainer's predict() does (tfjs's
  // model.predict would cut it into batches of 32).
  const batchSize = xs.shape[0] ?? 1;
  const once = async () => {
    const y = model.predict(xs, { batchSize }) as tf.Tensor;
    await y.data();
    y.dispose();
  };
  await once();
  const start = performance.now();
  for (let i = 0; i < 4; i++) await once();
  return (4 * (xs.shape[0] ?? 1)) / ((performance.now() - start) / 1000);
}

async function runReference(
  python: string,
  steps: number,
  threads: number,
  epochImages = 0,
): Promise<Record<string, unknown>> {
  try {
    const script = referenceScript(steps, threads, epochImages);
    // An epoch of 600,000 images takes minutes in PyTorch too: room for it beside the rest.
    const { stdout } = await promisify(execFile)(python, ['-c', script], {
      timeout: 300_000 + epochImages * 2,
      env: { ...process.env, ...REFERENCE_MALLOC },
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
  } catch (error) {
    return { pythonMissing: `${python}: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** The embedded digits repeated to n images, as a loader split: bytes, shape [n, 28, 28]. */
function tiledDigits(
  images: Uint8Array,
  labels: Uint8Array,
  n: number,
): { images: { data: Uint8Array; shape: number[] }; labels: Uint8Array } {
  const have = labels.length;
  const data = new Uint8Array(n * 784);
  const ys = new Uint8Array(n);
  for (let start = 0; start < n; start += have) {
    const count = Math.min(have, n - start);
    data.set(images.subarray(0, count * 784), start * 784);
    ys.set(labels.subarray(0, count), start);
  }
  return { images: { data, shape: [n, 28, 28] }, labels: ys };
}

/**
 * One epoch of the workshop CNN through train(), as a user runs it: uncompiled (so train compiles
 * it with the workshop's rmsprop and accuracy), shuffled, batch 64, on the backend set now.
 */
async function timedEpoch(
  backend: string,
  images: Uint8Array,
  labels: Uint8Array,
  n: number,
  cnnTrainSecondsPer1k: number,
  tick: () => void,
): Promise<EpochFigures> {
  const data = tiledDigits(images, labels, n);
  const model = cnnMnist({ seed: 1 });
  const start = performance.now();
  const history = await trainModel(model, data, {
    epochs: 1,
    batchSize: CNN_BATCH,
    shuffle: true,
    seed: 1,
    verbose: 0,
    backend: 'keep',
    callbacks: [{ onBatchEnd: () => tick() }],
  });
  const seconds = (performance.now() - start) / 1000;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  model.dispose();
  const steps = Math.ceil(n / CNN_BATCH);
  const stepSeconds = (cnnTrainSecondsPer1k * CNN_BATCH) / 1000;
  return {
    images: n,
    batchSize: CNN_BATCH,
    backend,
    seconds,
    steps,
    stepSeconds,
    overhead: seconds / (steps * stepSeconds),
    peakRssMiB,
    loss: history.history.loss?.[0],
    acc: history.history.acc?.[0],
  };
}

/**
 * wasm with CNNLAB_WASM_THREADS=1, in a child process: once the wasm backend has started in this
 * process, its build cannot change.
 */
async function singleThreadWasmRow(steps: number): Promise<BackendFigures> {
  const row = { backend: SINGLE_THREAD_WASM, who: WHO[SINGLE_THREAD_WASM] };
  const script = process.argv[1];
  if (!script) return { ...row, note: 'unavailable: no CLI script to run again' };
  try {
    const args = [script, 'bench', '--backends', 'wasm', '--steps', String(steps)];
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...args, '--no-reference', '--json', '--quiet'],
      { env: { ...process.env, CNNLAB_WASM_THREADS: '1' }, timeout: 600_000 },
    );
    const [wasm] = (JSON.parse(stdout) as { backends: BackendFigures[] }).backends;
    return { ...wasm, ...row };
  } catch (error) {
    return { ...row, note: `unavailable: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** The epoch's figures with PyTorch's epoch beside them, when the reference measured one. */
function withTorchEpoch(epoch: EpochFigures, reference: Record<string, unknown>): EpochFigures {
  const torch = (reference.torch as { epoch?: { seconds: number; peakRssMiB: number } } | undefined)
    ?.epoch;
  if (!torch || epoch.seconds === undefined) return epoch;
  return {
    ...epoch,
    torchSeconds: torch.seconds,
    torchPeakRssMiB: torch.peakRssMiB,
    ratio: epoch.seconds / torch.seconds,
  };
}

/**
 * Training and inference speed of the workshop's networks on each backend, beside PyTorch and
 * scipy on the same machine when a python3 with them is found.
 */
export async function benchCommand(options: BenchOptions, out: Output): Promise<unknown> {
  const known = [...NODE_CANDIDATES.map((c) => c.id), SINGLE_THREAD_WASM];
  if (options.backends?.length === 0) {
    throw usageError(`--backends lists no backend (expected some of ${known.join(', ')})`);
  }
  for (const id of options.backends ?? []) {
    if (!known.includes(id)) {
      throw usageError(`unknown backend '${id}' (expected ${known.join(', ')})`);
    }
  }
  const wanted = NODE_CANDIDATES.filter((c) =>
    options.backends ? options.backends.includes(c.id) : c.id !== 'cpu',
  );
  const singleThreadWasm = options.backends
    ? options.backends.includes(SINGLE_THREAD_WASM)
    : process.env.CNNLAB_WASM_THREADS?.trim() !== '1';
  const threads = availableParallelism();
  const { train } = await loadMnist();
  const bar = progressBar(out, 'steps');
  const epochSteps = options.epoch === undefined ? 0 : Math.ceil(options.epoch / CNN_BATCH);
  bar.start(wanted.length * (2 * options.steps) + epochSteps, 'bench');
  let done = 0;
  const tick = () => bar.update(++done);
  const rows: BackendFigures[] = [];
  let epoch: EpochFigures | undefined;
  for (const candidate of wanted) {
    let note: string;
    try {
      note = await candidate.prepare();
      if (!(await tf.setBackend(candidate.backend))) throw new Error('tf.setBackend refused it');
    } catch (error) {
      // Asked for by name, a backend that cannot run is a failure, as for train --backend.
      if (options.backends) {
        throw new CliError(`backend ${candidate.id}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      rows.push({
        backend: candidate.id,
        note: `unavailable: ${(error as Error).message}`,
        who: WHO[candidate.id],
      });
      done += 2 * options.steps;
      continue;
    }
    // Data and models are made on the backend under test, so nothing moves between backends.
    const cnnBatch = digitBatch(train.images.data, train.labels, CNN_BATCH, false);
    const denseBatch = digitBatch(train.images.data, train.labels, DENSE_BATCH, true);
    const predictXs = tf.tile(cnnBatch.xs, [4, 1, 1, 1]);
    const cnn = cnnMnist({ seed: 1 });
    const dense = denseMnist({ seed: 1 });
    const row: BackendFigures = {
      backend: candidate.id,
      note,
      who: WHO[candidate.id],
      cnnTrainSecondsPer1k: await secondsPer1k(cnn, cnnBatch, options.steps, tick),
      denseTrainSecondsPer1k: await secondsPer1k(dense, denseBatch, options.steps, tick),
      cnnPredictImagesPerSecond: await imagesPerSecond(cnn, predictXs),
    };
    cnn.dispose();
    dense.dispose();
    tf.dispose([cnnBatch.xs, cnnBatch.ys, denseBatch.xs, denseBatch.ys, predictXs]);
    rows.push(row);
    // The epoch, once, on the first backend that ran, while it is still the one set.
    if (options.epoch !== undefined && epoch === undefined && row.cnnTrainSecondsPer1k) {
      bar.update(done, `epoch (${candidate.id})`);
      epoch = await timedEpoch(
        candidate.id,
        train.images.data,
        train.labels,
        options.epoch,
        row.cnnTrainSecondsPer1k,
        tick,
      );
    }
  }
  bar.stop();
  if (options.epoch !== undefined && epoch === undefined) {
    epoch = {
      images: options.epoch,
      batchSize: CNN_BATCH,
      note: 'not measured: no backend ran in this process',
    };
  }
  if (singleThreadWasm) rows.push(await singleThreadWasmRow(options.steps));

  // The numeric core of kernels, on a 512×512 picture (scipy's convolve2d is the reference).
  const picture = { data: new Float64Array(CONV_SIDE * CONV_SIDE), shape: [CONV_SIDE, CONV_SIDE] };
  for (let i = 0; i < picture.data.length; i++) picture.data[i] = (i * 7919) % 256;
  const kernel = namedKernel('smoothing');
  convolve2d(picture, kernel, { mode: 'same' });
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) convolve2d(picture, kernel, { mode: 'same' });
  const convolveMpx = (5 * CONV_SIDE * CONV_SIDE) / ((performance.now() - t0) / 1000) / 1e6;

  let reference: Record<string, unknown> = { skipped: 'skipped (--no-reference)' };
  if (options.python !== null) {
    const pythons = options.python ? [options.python] : ['python3', '/usr/bin/python3'];
    for (const python of pythons) {
      reference = await runReference(python, options.steps, threads, options.epoch ?? 0);
      if (reference.torch) break;
    }
  }
  const result = {
    cores: threads,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    steps: options.steps,
    backends: rows,
    convolve2d: { side: CONV_SIDE, kernel: '3×3', mode: 'same', megapixelsPerSecond: convolveMpx },
    reference,
    ...(epoch ? { epoch: withTorchEpoch(epoch, reference) } : {}),
  };
  out.result(result, formatBench(result));
  return result;
}

function formatBench(r: {
  cores: number;
  cpu: string;
  node: string;
  steps: number;
  backends: BackendFigures[];
  convolve2d: { megapixelsPerSecond: number };
  reference: Record<string, unknown>;
  epoch?: EpochFigures;
}): string {
  const torch = r.reference.torch as
    | { version: string; convolutions?: string; cnn: number; dense: number; predict: number }
    | undefined;
  const scipy = r.reference.scipy as { version: string; mpx: number } | undefined;
  const fix = (v: number | undefined, d = 3) => (v === undefined ? '—' : v.toFixed(d));
  const lines = [
    `cnnlab bench — ${r.cores} cores (${r.cpu}), Node ${r.node}, the median of ${r.steps} timed steps after ${warmupSteps(r.steps)} warm-up`,
    'train: seconds per 1,000 images (CNN batch 64, dense batch 256, rmsprop); predict: CNN images/s',
    '',
    `${'backend'.padEnd(16)}${'CNN train'.padStart(11)}${'dense train'.padStart(13)}${'CNN predict'.padStart(13)}`,
  ];
  for (const row of r.backends) {
    if (row.cnnTrainSecondsPer1k === undefined) {
      lines.push(`${row.backend.padEnd(16)}${row.note}`);
      continue;
    }
    lines.push(
      `${row.backend.padEnd(16)}${fix(row.cnnTrainSecondsPer1k).padStart(11)}${fix(row.denseTrainSecondsPer1k).padStart(13)}${fix(row.cnnPredictImagesPerSecond, 0).padStart(13)}`,
    );
  }
  if (torch) {
    for (const row of r.backends) {
      if (row.cnnTrainSecondsPer1k === undefined) continue;
      const i = lines.findIndex((l) => l.startsWith(row.backend.padEnd(16)));
      lines[i] += `  CNN ${(row.cnnTrainSecondsPer1k / torch.cnn).toFixed(2)}× PyTorch's time`;
    }
    lines.push(
      `${`PyTorch ${torch.version}`.padEnd(16)}${fix(torch.cnn).padStart(11)}${fix(torch.dense).padStart(13)}${fix(torch.predict, 0).padStart(13)}  (reference)`,
    );
  } else {
    const why = r.reference.pythonMissing ?? r.reference.torchMissing ?? r.reference.skipped;
    lines.push(`${'PyTorch'.padEnd(16)}not measured: ${String(why)}`);
  }
  if (r.epoch) lines.push('', formatEpoch(r.epoch));
  // What each side's numbers come from: the kernels a machine's settings chose matter (an
  // OPENBLAS_CORETYPE naming an older core halves the native backend's GEMMs).
  lines.push('', 'what ran:');
  for (const row of r.backends) {
    if (row.cnnTrainSecondsPer1k !== undefined)
      lines.push(`  ${row.backend.padEnd(16)}${row.note}`);
  }
  if (torch?.convolutions) {
    lines.push(`  ${'PyTorch'.padEnd(16)}convolutions by ${torch.convolutions}`);
  }
  lines.push('', 'who trains on each:');
  for (const row of r.backends) {
    if (row.who) lines.push(`  ${row.backend.padEnd(16)}${row.who}`);
  }
  lines.push(
    '',
    `convolve2d 512×512 3×3 'same': ${r.convolve2d.megapixelsPerSecond.toFixed(1)} Mpx/s` +
      (scipy
        ? `; scipy ${scipy.version}: ${scipy.mpx.toFixed(1)} Mpx/s (reference)`
        : `; scipy not measured: ${String(r.reference.pythonMissing ?? r.reference.scipyMissing ?? r.reference.skipped)}`),
  );
  return lines.join('\n');
}

/** `epoch (native, 60,000 images, 938 steps): 17.1 s = 1.06× steps × step time; …` */
function formatEpoch(e: EpochFigures): string {
  const head = `epoch (${e.backend ? `${e.backend}, ` : ''}${e.images.toLocaleString('en-US')} images`;
  if (e.seconds === undefined || e.steps === undefined)
    return `${head}): ${e.note ?? 'not measured'}`;
  const parts = [
    `${e.seconds.toFixed(1)} s = ${(e.overhead ?? Number.NaN).toFixed(2)}× steps × step time`,
  ];
  if (e.torchSeconds !== undefined && e.ratio !== undefined) {
    parts.push(`${e.ratio.toFixed(2)}× PyTorch's ${e.torchSeconds.toFixed(1)} s`);
  }
  const rss = (v: number | undefined) => `${(v ?? Number.NaN).toFixed(0)} MiB`;
  parts.push(
    `peak RSS ${rss(e.peakRssMiB)}` +
      (e.torchPeakRssMiB === undefined ? '' : ` (PyTorch ${rss(e.torchPeakRssMiB)})`),
  );
  parts.push(`loss ${(e.loss ?? Number.NaN).toFixed(4)}, acc ${(e.acc ?? Number.NaN).toFixed(4)}`);
  return `${head}, ${e.steps.toLocaleString('en-US')} steps): ${parts.join('; ')}`;
}
