import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DatasetError,
  defaultCacheDir,
  FASHION_MNIST_INFO,
  loadFashionMnist,
  loadMnist,
  MNIST_FILE_NAMES,
  MNIST_FILE_ROLES,
  MNIST_INFO,
} from '@cnnlab/datasets/node';
import type { DatasetName } from '../data.js';
import { CliError, usageError } from '../errors.js';
import { ensureDir, type Output } from '../output.js';
import { progressBar } from '../progress.js';

export interface FetchOptions {
  dataset: DatasetName;
  /** Base URL of the four .gz files; default the catalog's public mirror. */
  url?: string;
  cacheDir?: string;
  verify: boolean;
}

/**
 * Downloads the full MNIST or Fashion-MNIST once into the cache, where every later command finds
 * it (MNIST then means all 70,000 digits instead of the embedded 10,000).
 */
export async function fetchCommand(options: FetchOptions, out: Output): Promise<void> {
  if (options.dataset === 'sign-mnist') {
    throw usageError(
      "sign-mnist cannot be fetched (Kaggle's download needs a login): download sign_mnist_train.csv and sign_mnist_test.csv from Kaggle and pass --data-dir",
    );
  }
  const info = options.dataset === 'mnist' ? MNIST_INFO : FASHION_MNIST_INFO;
  const url = options.url ?? info.mirror;
  const cacheDir = options.cacheDir ?? defaultCacheDir(info.name);
  await ensureDir(cacheDir);
  const files = MNIST_FILE_ROLES.map((role) => join(cacheDir, `${MNIST_FILE_NAMES[role]}.gz`));
  const before = new Set(files.filter((f) => existsSync(f)));
  // Bytes of the files already done, so the bar covers all four downloads as one.
  const total = MNIST_FILE_ROLES.reduce((sum, role) => sum + info.files[role].size, 0);
  const finished = new Map<string, number>();
  const bar = progressBar(out, 'bytes');
  if (before.size < files.length) {
    out.info(`downloading ${info.title} from ${url} into ${cacheDir}`);
    bar.start(total, options.dataset);
  }
  const load = options.dataset === 'mnist' ? loadMnist : loadFashionMnist;
  let data: Awaited<ReturnType<typeof load>>;
  try {
    data = await load({
      url,
      cacheDir,
      verify: options.verify,
      onProgress: ({ file, received }) => {
        finished.set(file, received);
        bar.update([...finished.values()].reduce((a, b) => a + b, 0));
      },
    });
  } catch (error) {
    // A file that downloaded but does not read (unverified, or not what the URL promised) must
    // not stay in the cache, where every later command would trip on it.
    await Promise.all(files.filter((f) => !before.has(f)).map((f) => rm(f, { force: true })));
    if (error instanceof DatasetError) throw new CliError(error.message, { cause: error });
    throw error;
  } finally {
    bar.stop();
  }
  const result = {
    dataset: options.dataset,
    cacheDir,
    downloaded: files.filter((f) => !before.has(f)),
    source: data.source.description,
    train: data.train.images.shape,
    test: data.test.images.shape,
  };
  out.result(
    result,
    `${data.source.description}: train ${JSON.stringify(result.train)}, test ${JSON.stringify(result.test)}`,
  );
}
