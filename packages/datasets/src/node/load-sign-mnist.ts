import { type FileHandle, open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip, type Gunzip } from 'node:zlib';
import {
  loadSignMnist as loadSignMnistInput,
  type SignMnistInput,
} from '../browser/load-sign-mnist.js';
import { DatasetError } from '../errors.js';
import { isGzip } from '../gzip.js';
import type { SignMnistData, SignMnistOptions } from '../sign-mnist.js';
import { parseSignMnistStream } from '../sign-mnist-csv.js';

/** Opens the file and reads its first two bytes, to tell gzip by its magic number. */
async function openCsv(path: string): Promise<{ file: FileHandle; gzip: boolean }> {
  let file: FileHandle | undefined;
  try {
    file = await open(path);
    if (!(await file.stat()).isFile()) throw new Error('is not a file');
    const magic = new Uint8Array(2);
    const { bytesRead } = await file.read(magic, 0, 2, 0);
    return { file, gzip: isGzip(magic.subarray(0, bytesRead)) };
  } catch (cause) {
    await file?.close();
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new DatasetError(
      `${path}: ${missing ? 'file not found' : (cause as Error).message}; expected a Sign-MNIST CSV (label,pixel1,…,pixel784)`,
      { source: path, cause },
    );
  }
}

/** Streams a CSV file, inflated with zlib when its first bytes are the gzip magic, whatever its name. */
async function loadFile(path: string, options: SignMnistOptions): Promise<SignMnistData> {
  const { file, gzip } = await openCsv(path);
  let inflate: Gunzip | undefined;
  // The stream owns the file from here: destroying it closes the handle.
  const stream = file.createReadStream({ start: 0, highWaterMark: 1 << 20 });
  try {
    let chunks: AsyncIterable<Uint8Array> = stream;
    if (gzip) {
      const gunzip = createGunzip();
      inflate = gunzip;
      stream.on('error', (error) => gunzip.destroy(error));
      chunks = stream.pipe(gunzip);
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
    stream.destroy();
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
  options: SignMnistOptions & { fetch?: typeof fetch } = {},
): Promise<SignMnistData> {
  if (typeof input === 'string' && !/^https?:\/\//i.test(input)) return loadFile(input, options);
  if (input instanceof URL && input.protocol === 'file:') {
    return loadFile(fileURLToPath(input), options);
  }
  return loadSignMnistInput(input, options);
}
