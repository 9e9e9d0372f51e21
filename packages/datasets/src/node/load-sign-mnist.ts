import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { DatasetError } from '../errors.js';
import type { SignMnistData, SignMnistOptions } from '../sign-mnist.js';
import { parseSignMnist, parseSignMnistStream } from '../sign-mnist-csv.js';

/**
 * Sign Language MNIST from a Kaggle CSV file (`sign_mnist_train.csv`, `sign_mnist_test.csv`; a
 * `.gz` is inflated on the fly) or from bytes in memory. Files are parsed as they stream.
 */
export async function loadSignMnist(
  pathOrBytes: string | Uint8Array,
  options: SignMnistOptions = {},
): Promise<SignMnistData> {
  if (typeof pathOrBytes !== 'string') return parseSignMnist(pathOrBytes, options);
  const path = pathOrBytes;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('is not a file');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new DatasetError(
      `${path}: ${missing ? 'file not found' : (cause as Error).message}; expected a Sign-MNIST CSV (label,pixel1,…,pixel784)`,
      { source: path, cause },
    );
  }
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  let stream: AsyncIterable<Uint8Array> = file;
  if (path.endsWith('.gz')) {
    const inflate = createGunzip();
    file.on('error', (error) => inflate.destroy(error));
    stream = file.pipe(inflate);
  }
  try {
    return await parseSignMnistStream(stream, { name: path, ...options });
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(`${path}: cannot be read: ${(error as Error).message}`, {
      source: path,
      cause: error,
    });
  } finally {
    file.destroy();
  }
}
