import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, realpath } from 'node:fs/promises';
import { DatasetError } from '../errors.js';

/** An open regular file and its size when it was opened. */
export interface RegularFile {
  handle: FileHandle;
  size: number;
}

// O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer (it changes
// nothing for a regular file). Windows has no such flag and no FIFOs to open.
const FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Opens a file for reading, refusing anything but a regular file before a byte is read: a folder,
 * a device such as /dev/zero, a FIFO or a socket, also when reached through a symbolic link. The
 * check is made on the opened descriptor, so the file cannot be swapped between check and read.
 * `expected` ends the message ("expected an IDX file"). Errors are DatasetErrors naming the path.
 */
export async function openRegularFile(path: string, expected: string): Promise<RegularFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, FLAGS);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : (cause as Error).message;
    throw new DatasetError(`${path}: ${why}; ${expected}`, { source: path, cause });
  }
  let stats: Stats;
  try {
    stats = await handle.stat();
  } catch (cause) {
    await handle.close().catch(() => undefined);
    throw new DatasetError(`${path}: cannot be read: ${(cause as Error).message}; ${expected}`, {
      source: path,
      cause,
    });
  }
  if (stats.isFile()) return { handle, size: stats.size };
  await handle.close().catch(() => undefined);
  const linked = (await lstat(path).catch(() => undefined))?.isSymbolicLink();
  const link = linked
    ? ` (a link to ${await realpath(path).catch(() => 'an unknown target')})`
    : '';
  throw new DatasetError(`${path}${link} is ${kindOf(stats)}; ${expected}, a regular file`, {
    source: path,
  });
}
