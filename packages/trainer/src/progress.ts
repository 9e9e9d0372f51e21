import type { Logs, TrainCallback, TrainParams } from './callback.js';

/** Where progress goes: process.stdout, or anything with `write` (a test's buffer). */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  /** Default process.stdout; in a runtime without one, console.log a line per epoch. */
  stream?: ProgressStream;
  /** 1: a bar redrawn in place on a TTY, else a line per epoch; 2: always a line per epoch. */
  verbose?: 1 | 2;
  /** Least time between two redraws of the bar, in ms. Default 100. */
  intervalMs?: number;
}

const WIDTH = 30;
const SKIP = new Set(['batch', 'size']);

/** Keras's number format: 4 decimals, or exponent notation for tiny values. */
function formatValue(v: number): string {
  return Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(4) : v.toFixed(4);
}

export function formatLogs(logs: Logs): string {
  // tfjs logs val_ metrics first; Keras prints them after the training ones.
  const entries = Object.entries(logs).filter(([k]) => !SKIP.has(k));
  return [
    ...entries.filter(([k]) => !k.startsWith('val_')),
    ...entries.filter(([k]) => k.startsWith('val_')),
  ]
    .map(([k, v]) => ` - ${k}: ${formatValue(v)}`)
    .join('');
}

function formatSeconds(s: number): string {
  return s >= 3600
    ? `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(s % 60)).padStart(2, '0')}`
    : s >= 60
      ? `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`
      : `${Math.round(s)}s`;
}

/** Keras's bar: `[=====>........]` with `width` cells for `done` of `total`. */
export function bar(done: number, total: number, width = WIDTH): string {
  const filled = total > 0 ? Math.min(width, Math.floor((width * done) / total)) : width;
  const head = filled > 0 ? `${'='.repeat(filled - 1)}${done < total ? '>' : '='}` : '';
  return `[${head}${'.'.repeat(width - filled)}]`;
}

function defaultStream(): ProgressStream {
  const stdout = (globalThis as { process?: { stdout?: ProgressStream } }).process?.stdout;
  if (stdout) return stdout;
  let pending = '';
  return {
    write(chunk: string) {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) console.log(line);
    },
  };
}

/**
 * Keras-style progress: `Epoch 1/10`, then `469/469 [======] - 12s 25ms/step - loss: … - acc: …`
 * redrawn in place on a TTY, or one plain line per epoch elsewhere (logs, CI, pipes).
 */
export function progressBar(options: ProgressOptions = {}): TrainCallback {
  const stream = options.stream ?? defaultStream();
  const live = (options.verbose ?? 1) === 1 && stream.isTTY === true;
  const interval = options.intervalMs ?? 100;
  let params: TrainParams = { epochs: 1, steps: 0, samples: 0, batchSize: 0, doValidation: false };
  let started = 0;
  let lastDraw = 0;
  let sums: Record<string, number> = {};
  let seen = 0;
  let done = 0;
  let epochIndex = 0;
  const pad = (n: number) => String(n).padStart(String(params.steps).length);
  const running = (): Logs =>
    Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / Math.max(seen, 1)]));
  return {
    setParams(p) {
      params = p;
    },
    onEpochBegin(epoch) {
      epochIndex = epoch;
      started = performance.now();
      lastDraw = 0;
      sums = {};
      seen = 0;
      done = 0;
      if (live) stream.write(`Epoch ${epoch + 1}/${params.epochs}\n`);
    },
    onBatchEnd(batch, logs = {}) {
      // Keras shows the epoch's running mean, weighted by batch size, not the last batch's value.
      const size = logs.size ?? 1;
      for (const [k, v] of Object.entries(logs)) {
        if (!SKIP.has(k)) sums[k] = (sums[k] ?? 0) + v * size;
      }
      seen += size;
      done = batch + 1;
      if (!live) return;
      const now = performance.now();
      if (now - lastDraw < interval || done >= params.steps) return;
      lastDraw = now;
      const eta = ((now - started) / 1000 / done) * (params.steps - done);
      stream.write(
        `\r${pad(done)}/${params.steps} ${bar(done, params.steps)} - ETA: ${formatSeconds(eta)}${formatLogs(running())}\x1b[K`,
      );
    },
    onEpochEnd(_epoch, logs = {}) {
      const seconds = (performance.now() - started) / 1000;
      const perStep = (seconds * 1000) / Math.max(done || params.steps, 1);
      const timing = `${formatSeconds(seconds)} ${Math.round(perStep)}ms/step`;
      // An epoch cut short (Ctrl-C, a NaN loss) says how far it got.
      const reached = done > 0 && done < params.steps ? done : params.steps;
      const steps = `${reached}/${params.steps}`;
      if (live) {
        stream.write(
          `\r${steps} ${bar(reached, params.steps)} - ${timing}${formatLogs(logs)}\x1b[K\n`,
        );
      } else {
        stream.write(
          `Epoch ${epochIndex + 1}/${params.epochs} - ${steps} - ${timing}${formatLogs(logs)}\n`,
        );
      }
    },
  };
}
