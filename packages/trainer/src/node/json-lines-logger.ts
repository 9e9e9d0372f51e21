import { writeFileSync } from 'node:fs';
import type { Logs, TrainCallback } from '../callback.js';
import { appendLines } from './line-logger.js';

export interface JsonLinesLoggerOptions {
  /** Keep the lines of earlier runs. Default false: the file starts afresh. */
  append?: boolean;
}

/** One JSON object per epoch and line: `{"epoch":0,"loss":…,"acc":…,"seconds":…}`. */
export function jsonLinesLogger(path: string, options: JsonLinesLoggerOptions = {}): TrainCallback {
  let started = 0;
  return {
    onTrainBegin() {
      if (!options.append) writeFileSync(path, '');
    },
    onEpochBegin() {
      started = performance.now();
    },
    onEpochEnd(epoch, logs: Logs = {}) {
      const seconds = (performance.now() - started) / 1000;
      appendLines(path, `${JSON.stringify({ epoch, ...logs, seconds })}\n`);
    },
  };
}
