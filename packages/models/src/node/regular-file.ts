import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { ModelError } from '../errors.js';

/** What a file is, in words, for messages about one that is not a regular file. */
function kind(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Opens `path` for reading only if it is a regular file, and gives its size: a device such as
 * /dev/zero, a pipe or a folder is refused before a byte is read. Opened without blocking, so a
 * named pipe with no writer cannot hang the open; the check is on the opened file, so a link
 * swapped in between cannot slip past it. `what` names the file in the message.
 */
export async function openRegularFile(
  path: string,
  what: string,
): Promise<{ handle: FileHandle; size: number }> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new ModelError(`${what} is ${kind(stats)}; expected a regular file`, { source: path });
    }
    return { handle, size: stats.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads exactly `target.byteLength` bytes from the start of the file into `target`. */
export async function readExactly(
  handle: FileHandle,
  target: Uint8Array,
  path: string,
  what: string,
): Promise<void> {
  let offset = 0;
  while (offset < target.byteLength) {
    const { bytesRead } = await handle.read(target, offset, target.byteLength - offset, offset);
    if (bytesRead === 0) {
      throw new ModelError(
        `${what} shrank to ${offset} bytes while being read; expected ${target.byteLength}`,
        { source: path },
      );
    }
    offset += bytesRead;
  }
}

/** The whole of a regular file of at most `maxBytes` bytes, as UTF-8 text. */
export async function readSmallTextFile(
  path: string,
  maxBytes: number,
  what: string,
): Promise<string> {
  const { handle, size } = await openRegularFile(path, what);
  try {
    if (size > maxBytes) {
      throw new ModelError(`${what} holds ${size} bytes; expected at most ${maxBytes}`, {
        source: path,
      });
    }
    const bytes = new Uint8Array(size);
    await readExactly(handle, bytes, path, what);
    return new TextDecoder().decode(bytes);
  } finally {
    await handle.close();
  }
}
