import type { FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { DatasetError } from '../errors.js';
import { isGzip } from '../gzip.js';
import { IdxCollector } from '../idx-collector.js';
import { type IdxHeader, idxLengthError, readIdxHeader } from '../idx-header.js';
import { openRegularFile } from './open-regular-file.js';

// The longest IDX header (255 dimensions), and so the most read before the size is known.
const HEAD = 4 + 4 * 255;
const EXPECTED = 'expected an IDX file (raw or gzip)';

/** A plain Uint8Array view of a Buffer, so loaders return the documented type (no copy). */
function plain(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Reads `length` bytes from `position` into `into`; fewer when the file has shrunk meanwhile. */
async function readFully(handle: FileHandle, into: Uint8Array, position: number): Promise<number> {
  let at = 0;
  while (at < into.length) {
    const { bytesRead } = await handle.read(into, at, into.length - at, position + at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return at;
}

/** A raw IDX file: its length is checked against the header before the data is allocated. */
async function readRaw(handle: FileHandle, size: number, path: string): Promise<Uint8Array> {
  const head = new Uint8Array(Math.min(size, HEAD));
  const got = await readFully(handle, head, 0);
  const header = readIdxHeader(head.subarray(0, got), path, true) as IdxHeader;
  const mismatch = idxLengthError(header, size, path);
  if (mismatch) throw mismatch;
  const bytes = new Uint8Array(size);
  const read = await readFully(handle, bytes, 0);
  // The file was cut while being read.
  const shorter = idxLengthError(header, read, path);
  if (shorter) throw shorter;
  return bytes;
}

/**
 * A gzipped IDX file, inflated by zlib as it streams and refused as soon as the data is longer
 * than the header declares: memory stays at the declared size plus one zlib chunk (16 KiB).
 */
async function readGzip(handle: FileHandle, size: number, path: string): Promise<Uint8Array> {
  const collector = new IdxCollector(path);
  // Only the bytes the file had when opened: a file that grows meanwhile is not followed.
  const source = handle.createReadStream({ start: 0, end: size - 1, autoClose: false });
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  try {
    for await (const chunk of gunzip) collector.push(plain(chunk as Buffer));
  } catch (cause) {
    if (cause instanceof DatasetError) throw cause;
    const zlib = String((cause as NodeJS.ErrnoException).code).startsWith('Z_');
    throw new DatasetError(
      zlib
        ? `${path}: starts like gzip but does not inflate (truncated or corrupt): ${(cause as Error).message}`
        : `${path}: cannot be read: ${(cause as Error).message}`,
      { source: path, cause },
    );
  } finally {
    source.unpipe(gunzip);
    source.destroy();
    gunzip.destroy();
  }
  return collector.finish();
}

/**
 * Reads an IDX file, raw or gzip (told by its magic bytes), into the bytes of the raw file, with
 * every bound checked before memory is spent: only a regular file is read (a link to /dev/zero or
 * a FIFO is refused), a raw file's size must be the one its header declares, and a gzip stream is
 * stopped as soon as it inflates past that size. Errors are DatasetErrors naming the path.
 */
export async function readIdxFile(path: string): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(path, EXPECTED);
  try {
    const magic = new Uint8Array(Math.min(size, 2));
    await readFully(handle, magic, 0);
    return isGzip(magic) ? await readGzip(handle, size, path) : await readRaw(handle, size, path);
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(`${path}: cannot be read: ${(error as Error).message}`, {
      source: path,
      cause: error,
    });
  } finally {
    await handle.close().catch(() => undefined);
  }
}
