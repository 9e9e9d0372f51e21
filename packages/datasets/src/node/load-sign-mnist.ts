import type { ReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGunzip, type Gunzip } from 'node:zlib';
import {
  type LoadSignMnistOptions,
  loadSignMnist as loadSignMnistInput,
  type SignMnistInput,
} from '../browser/load-sign-mnist.js';
import { DatasetError } from '../errors.js';
import { isGzip } from '../gzip.js';
import type { SignMnistData, SignMnistOptions } from '../sign-mnist.js';
import { parseSignMnist, parseSignMnistStream } from '../sign-mnist-csv.js';
import { openRegularFile } from './open-regular-file.js';

const EXPECTED = 'expected a Sign-MNIST CSV (label,pixel1,…,pixel784)';

/**
 * Streams a CSV file, inflated with zlib when its first bytes are the gzip magic, whatever its
 * name. Only a regular file is read (not a FIFO or a link to /dev/zero), and only the bytes it had
 * when opened; the parser's maxBytes bounds what a gzipped file may inflate to.
 */
async function loadFile(path: string, options: SignMnistOptions): Promise<SignMnistData> {
  const { handle, size } = await openRegularFile(path, EXPECTED);
  let inflate: Gunzip | undefined;
  let stream: ReadStream | undefined;
  try {
    if (size === 0) return parseSignMnist(new Uint8Array(0), { name: path, ...options });
    const magic = new Uint8Array(2);
    const { bytesRead } = await handle.read(magic, 0, Math.min(2, size), 0);
    const source = handle.createReadStream({
      start: 0,
      end: size - 1,
      highWaterMark: 1 << 20,
      autoClose: false,
    });
    stream = source;
    let chunks: AsyncIterable<Uint8Array> = source;
    if (isGzip(magic.subarray(0, bytesRead))) {
      const gunzip = createGunzip();
      inflate = gunzip;
      source.on('error', (error) => gunzip.destroy(error));
      chunks = source.pipe(gunzip);
    }
    return await parseSignMnistStream(chunks, { name: path, ...options });
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    const zlib = String((error as NodeJS.ErrnoException).code).startsWith('Z_');
    throw new DatasetError(
      zlib
        ? `${path}: starts like gzip but does not inflate (truncated or corrupt): ${(error as Error).message}`
        : `${path}: cannot be read: ${(error as Error).message}`,
      { source: path, cause: error },
    );
  } finally {
    inflate?.destroy();
    stream?.destroy();
    await handle.close().catch(() => undefined);
  }
}

/**
 * Sign Language MNIST from a Kaggle CSV file (`sign_mnist_train.csv`, `sign_mnist_test.csv`),
 * gzipped or not, parsed as it streams. Besides a path (a string or a `file:` URL) it takes all the
 * browser entry takes: an http(s) URL (fetched), a Blob or File, a web ReadableStream or async
 * iterable of bytes, and bytes in memory. Gzip is told by the magic bytes in every case.
 */
export async function loadSignMnist(
  input: SignMnistInput,
  options: LoadSignMnistOptions = {},
): Promise<SignMnistData> {
  if (typeof input === 'string' && !/^https?:\/\//i.test(input)) return loadFile(input, options);
  if (input instanceof URL && input.protocol === 'file:') {
    return loadFile(fileURLToPath(input), options);
  }
  return loadSignMnistInput(input, options);
}
