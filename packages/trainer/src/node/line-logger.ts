import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { TrainError } from '../errors.js';

/**
 * Appends whole lines to a file: each call is one write(2) on an O_APPEND descriptor, then fsync,
 * so a reader (or a crash) never sees half a line.
 */
export function appendLines(path: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'a');
  } catch (error) {
    throw new TrainError(`cannot open log file ${path}: ${(error as Error).message}`, 'path', {
      cause: error,
    });
  }
  try {
    const bytes = Buffer.from(text, 'utf8');
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
