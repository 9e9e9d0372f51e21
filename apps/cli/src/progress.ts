import { Presets, SingleBar } from 'cli-progress';
import type { Output } from './output.js';

/** A bar for long work that is not training (downloads, benchmarks), or nothing under --quiet. */
export interface Bar {
  start(total: number, label: string): void;
  update(done: number, label?: string): void;
  stop(): void;
}

const SILENT: Bar = { start() {}, update() {}, stop() {} };

/**
 * cli-progress on the stream people read: stderr under --json so stdout stays parseable. It draws
 * only on a terminal; a pipe or a test sees nothing.
 */
export function progressBar(out: Output, unit: string): Bar {
  if (out.quiet) return SILENT;
  const bar = new SingleBar(
    {
      stream: out.json ? process.stderr : process.stdout,
      format: `{label} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`,
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  let label = '';
  return {
    start(total, text) {
      label = text;
      bar.start(total, 0, { label });
    },
    update(done, text) {
      if (text !== undefined) label = text;
      bar.update(done, { label });
    },
    stop() {
      bar.stop();
    },
  };
}

/** The trainer's options for where its Keras-style progress goes. */
export function progressOptions(out: Output): {
  verbose: 0 | 1;
  progress?: { stream: NodeJS.WriteStream };
} {
  if (out.quiet) return { verbose: 0 };
  return { verbose: 1, progress: { stream: out.json ? process.stderr : process.stdout } };
}
