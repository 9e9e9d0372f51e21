import { execFile } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { promisify } from 'node:util';
import { NODE_CANDIDATES } from '@cnnlab/backend/node';
import { loadMnist } from '@cnnlab/datasets/node';
import { convolve2d, namedKernel } from '@cnnlab/kernels';
import { cnnMnist, denseMnist } from '@cnnlab/models';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
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
      'timed training steps per network',
      whole('--steps', { min: 1, max: 100_000 }),
      20,
    )
    .option(
      '--python <path>',
      'the python3 whose PyTorch and scipy are the reference (default: python3, then /usr/bin/python3)',
    )
    .option('--no-reference', 'skip the PyTorch and scipy reference')
    .addHelpText(
      'after',
      examples([
        'cnnlab bench',
        'cnnlab bench --backends native,wasm,cpu --steps 5',
        'cnnlab bench --json --no-reference',
      ]) +
        '\nFigures are seconds per 1,000 training images (lower is better) and images per second for prediction.\n',
    )
    .action(async (opts, cmd) => {
      const backends = opts.backends
        ? String(opts.backends)
            .split(',')
            .map((s: string) => s.trim())
            .filter(Boolean)
        : undefined;
      const python = opts.python ?? (opts.reference === false ? null : undefined);
      await run((out) => benchCommand({ steps: opts.steps, backends, python }, out), cmd);
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

/** Python side of the comparison: the same networks, batch sizes and optimizer, then scipy. */
function referenceScript(steps: number, threads: number): string {
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
        step()
        t = time.perf_counter()
        for _ in range(${steps}): step()
        return (time.perf_counter() - t) / (${steps} * x.shape[0]) * 1000
    cnn = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3),
        nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(),
        nn.Linear(576, 64), nn.ReLU(), nn.Linear(64, 10))
    dense = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 10))
    out['torch'] = {'version': torch.__version__,
        'cnn': timed(cnn, torch.rand(${CNN_BATCH}, 1, 28, 28), torch.randint(0, 10, (${CNN_BATCH},))),
        'dense': timed(dense, torch.rand(${DENSE_BATCH}, 784), torch.randint(0, 10, (${DENSE_BATCH},)))}
    cnn.eval()
    with torch.no_grad():
        x = torch.rand(256, 1, 28, 28); cnn(x)
        t = time.perf_counter()
        for _ in range(4): cnn(x)
        out['torch']['predict'] = 1024 / (time.perf_counter() - t)
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

async function secondsPer1k(
  model: LayersModel,
  batch: { xs: tf.Tensor; ys: tf.Tensor },
  steps: number,
  tick: () => void,
): Promise<number> {
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' });
  await model.trainOnBatch(batch.xs, batch.ys); // warm-up: kernels compiled, buffers allocated
  const start = performance.now();
  for (let i = 0; i < steps; i++) {
    await model.trainOnBatch(batch.xs, batch.ys);
    tick();
  }
  const size = batch.xs.shape[0] ?? 1;
  return (performance.now() - start) / 1000 / ((steps * size) / 1000);
}

async function imagesPerSecond(model: LayersModel, xs: tf.Tensor): Promise<number> {
  const once = async () => {
    const y = model.predict(xs) as tf.Tensor;
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
): Promise<Record<string, unknown>> {
  try {
    const { stdout } = await promisify(execFile)(python, ['-c', referenceScript(steps, threads)], {
      timeout: 300_000,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
  } catch (error) {
    return { pythonMissing: `${python}: ${(error as Error).message.split('\n')[0]}` };
  }
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
  bar.start(wanted.length * (2 * options.steps), 'bench');
  let done = 0;
  const tick = () => bar.update(++done);
  const rows: BackendFigures[] = [];
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
  }
  bar.stop();
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
      reference = await runReference(python, options.steps, threads);
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
}): string {
  const torch = r.reference.torch as
    | { version: string; cnn: number; dense: number; predict: number }
    | undefined;
  const scipy = r.reference.scipy as { version: string; mpx: number } | undefined;
  const fix = (v: number | undefined, d = 3) => (v === undefined ? '—' : v.toFixed(d));
  const lines = [
    `cnnlab bench — ${r.cores} cores (${r.cpu}), Node ${r.node}, ${r.steps} timed steps`,
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
