import { existsSync, statSync, writeFileSync } from 'node:fs';
import type { Logs, TrainCallback } from '../callback.js';
import { appendLines } from './line-logger.js';

export interface CsvLoggerOptions {
  /** Keep the lines of earlier runs. Default false: the file starts afresh. */
  append?: boolean;
  separator?: string;
}

/** Keras's CSVLogger: a header, then one row per epoch (`epoch` first, then sorted keys). */
export function csvLogger(path: string, options: CsvLoggerOptions = {}): TrainCallback {
  const sep = options.separator ?? ',';
  let columns: string[] | undefined;
  return {
    onTrainBegin() {
      columns = undefined;
      if (!options.append) writeFileSync(path, '');
    },
    onEpochEnd(epoch, logs: Logs = {}) {
      let header = '';
      if (!columns) {
        columns = Object.keys(logs).sort();
        if (!existsSync(path) || statSync(path).size === 0) {
          header = `${['epoch', ...columns].join(sep)}\n`;
        }
      }
      const row = [String(epoch), ...columns.map((k) => (k in logs ? String(logs[k]) : ''))];
      appendLines(path, `${header}${row.join(sep)}\n`);
    },
  };
}
