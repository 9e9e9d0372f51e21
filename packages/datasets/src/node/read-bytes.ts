import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DatasetError } from '../errors.js';
import { isGzip } from '../gzip.js';

const gunzipAsync = promisify(gunzip);

/** A plain Uint8Array view of a Buffer, so loaders return the documented type (no copy). */
function plain(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * Reads a file into bytes, inflating gzip with zlib (faster than the browser-safe path), and turns
 * a missing or unreadable file into a DatasetError naming it.
 */
export async function readBytes(path: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = plain(await readFile(path));
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : (cause as Error).message;
    throw new DatasetError(`${path}: ${why}`, { source: path, cause });
  }
  if (!isGzip(bytes)) return bytes;
  try {
    return plain(await gunzipAsync(bytes));
  } catch (cause) {
    throw new DatasetError(
      `${path}: starts like gzip but does not inflate (truncated or corrupt)`,
      {
        source: path,
        cause,
      },
    );
  }
}
