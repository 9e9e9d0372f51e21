// wasm threads benchmark (a plain script, not a test): trains the workshop CNN (batch 64,
// rmsprop) on tfjs's wasm backend with cnnlab's training kernels, once as tfjs gives it to Node
// (the single-threaded SIMD build) and once as prepareNodeWasmThreads sets it up (the threaded
// SIMD build on worker_threads). Each runs in its own child process, since a backend's build is
// fixed once it starts; the table gives seconds per 1,000 training images, whether the threaded
// run's losses and weights match the single-threaded ones, and how long each child took to exit
// after its last step (a pthread worker left ref'd would keep it alive). Runs alternate for
// BENCH_ROUNDS rounds and the fastest of each is shown, since other load on the machine only
// ever slows a run down; the CPU columns (Linux) say where the time went whatever the load.
//
//   node bench/wasm-threads.bench.mjs              (after pnpm build)
//   BENCH_STEPS=60 BENCH_ROUNDS=3 BENCH_THREADS=2,4 node bench/wasm-threads.bench.mjs
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const STEPS = Number(process.env.BENCH_STEPS ?? 30);
// Unmeasured steps first: V8 compiles wasm with its baseline compiler, then optimises it.
const WARMUP_STEPS = Number(process.env.BENCH_WARMUP ?? 5);
// Steps whose losses and final weights are compared between the runs.
const CHECK_STEPS = 3;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const BATCH = 64;
// A child that has not exited this long after its result is counted as hanging and killed.
const EXIT_LIMIT_MS = 10_000;

if (process.argv[2] === '--child') {
  await child(Number(process.argv[3]));
} else {
  await parent();
}

async function parent() {
  const cores = availableParallelism();
  const counts = process.env.BENCH_THREADS
    ? process.env.BENCH_THREADS.split(',').map(Number)
    : [Math.min(cores, 8)];
  console.log(
    `wasm threads benchmark — os.availableParallelism() ${cores} (${cpus()[0]?.model.trim()}), Node ${process.version}`,
  );
  console.log(
    `workshop CNN, batch ${BATCH}, rmsprop, cnnlab wasm training kernels; ${WARMUP_STEPS} warm-up + ${STEPS} timed steps, best of ${ROUNDS} rounds; load average ${loadavg()[0].toFixed(2)}`,
  );
  const configs = [1, ...counts.filter((n) => n >= 2)];
  const best = new Map();
  const all = new Map(configs.map((threads) => [threads, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const threads of configs) {
      const run = await runChild(threads);
      if (!run.error) all.get(threads).push(run.perThousand.toFixed(3));
      const kept = best.get(threads);
      if (!kept || kept.error || (!run.error && run.perThousand < kept.perThousand)) {
        best.set(threads, run);
      }
    }
  }
  for (const [threads, runs] of all) best.get(threads).rounds = runs.join(' ');
  const single = best.get(1);
  const rows = [row('wasm SIMD, single-threaded (tfjs default)', single, null)];
  for (const threads of configs.slice(1)) {
    rows.push(row(`wasm threaded SIMD, ${threads} threads asked`, best.get(threads), single));
  }
  console.table(rows);
}

function row(label, run, reference) {
  if (run.error) return { run: label, note: run.error };
  const out = {
    run: label,
    threads: run.threads,
    's/1k img': run.perThousand.toFixed(3),
    'every round': run.rounds,
    'CPU s/1k: main thread': run.mainCpu === null ? '—' : run.mainCpu.toFixed(3),
    'CPU s/1k: all threads': run.allCpu.toFixed(3),
    'exit after done (ms)':
      run.exitMs === null ? `hung (killed after ${EXIT_LIMIT_MS})` : run.exitMs,
  };
  if (reference && !reference.error) {
    // Above 1: faster than the single-threaded run.
    out['speed vs single'] = `${(reference.perThousand / run.perThousand).toFixed(2)}×`;
    out['max loss rel diff'] = maxRelDiff(run.losses, reference.losses).toExponential(1);
    out['max weight diff'] = maxAbsDiff(run.weights, reference.weights).toExponential(1);
  }
  out.setup = run.reason;
  return out;
}

function maxRelDiff(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-12));
  }
  return worst;
}

function maxAbsDiff(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** Runs one configuration in a child process; resolves to its result and exit delay. */
function runChild(threads) {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', threads], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let result = null;
    let doneAt = 0;
    let killer = null;
    proc.stdout.on('data', (chunk) => {
      stdout += chunk;
      const at = stdout.indexOf('RESULT ');
      const end = at < 0 ? -1 : stdout.indexOf('\n', at);
      if (end >= 0 && result === null) {
        result = JSON.parse(stdout.slice(at + 'RESULT '.length, end));
        doneAt = performance.now();
        killer = setTimeout(() => proc.kill('SIGKILL'), EXIT_LIMIT_MS);
      }
    });
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(killer);
      if (result === null) {
        const why = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300);
        resolve({ error: `child exited ${code ?? signal} without a result: ${why}` });
        return;
      }
      const exitMs = signal === 'SIGKILL' ? null : Math.round(performance.now() - doneAt);
      resolve({ ...result, exitMs });
    });
  });
}

async function child(threads) {
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-wasm');
  const backend = await import('../dist/node.js');
  if (threads >= 2 && typeof backend.prepareNodeWasmThreads !== 'function') {
    console.error(
      'dist/node.js does not export prepareNodeWasmThreads: export it from src/node.ts and run pnpm build',
    );
    process.exitCode = 1;
    return;
  }
  const setup =
    threads >= 2
      ? await backend.prepareNodeWasmThreads({ threads })
      : { threads: 1, reason: 'tfjs-backend-wasm as installed' };
  backend.registerWasmTrainingKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') failed");
  const wasm = await import('@tensorflow/tfjs-backend-wasm');

  const model = cnn(tf);
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' });
  const { xs, ys } = tf.tidy(() => {
    const x = tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 1);
    const labels = tf.randomUniform([BATCH], 0, 10, 'int32', 2);
    return { xs: x, ys: tf.oneHot(labels, 10).toFloat() };
  });
  const losses = [];
  for (let i = 0; i < CHECK_STEPS; i++) losses.push(Number(await model.trainOnBatch(xs, ys)));
  const weights = [];
  for (const w of model.getWeights()) weights.push(...(await w.data()));
  for (let i = 0; i < WARMUP_STEPS; i++) await model.trainOnBatch(xs, ys);
  const mainBefore = mainThreadCpuSeconds();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < STEPS; i++) await model.trainOnBatch(xs, ys);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const mainAfter = mainThreadCpuSeconds();
  const perThousand = (s) => (s / (STEPS * BATCH)) * 1000;
  const result = {
    threads: wasm.getThreadsCount(),
    reason: setup.reason,
    perThousand: perThousand(seconds),
    mainCpu: mainBefore === null ? null : perThousand(mainAfter - mainBefore),
    allCpu: perThousand((cpu.user + cpu.system) / 1e6),
    losses,
    weights,
  };
  tf.dispose([xs, ys]);
  model.dispose();
  // No process.exit: the parent times how long this process takes to end on its own.
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

/** CPU seconds the main thread has used (Linux: /proc), or null where that is not readable. */
function mainThreadCpuSeconds() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The workshop CNN with seeded initialisers, so that every run starts from the same weights. */
function cnn(tf) {
  let seed = 10;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  const conv = (filters, extra = {}) =>
    tf.layers.conv2d({
      filters,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: init(),
      ...extra,
    });
  return tf.sequential({
    layers: [
      conv(32, { inputShape: [28, 28, 1] }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      conv(64),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      conv(64),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init() }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
}
