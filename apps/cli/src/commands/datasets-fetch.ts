import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DatasetError,
  type DatasetInfo,
  defaultCacheDir,
  FASHION_MNIST_INFO,
  loadFashionMnist,
  loadMnist,
  MNIST_FILE_NAMES,
  MNIST_FILE_ROLES,
  MNIST_INFO,
} from '@cnnlab/datasets/node';
import { examples, type Register } from '../command.js';
import { type DatasetName, parseDataset } from '../data.js';
import { CliError, usageError } from '../errors.js';
import type { Interrupt } from '../interrupt.js';
import { datasetOption, path } from '../options.js';
import { type Output, withOutputDir } from '../output.js';
import { progressBar } from '../progress.js';

/** `cnnlab datasets fetch`, under the `datasets` group. */
export const registerDatasetsFetch: Register = (parent, run) =>
  parent
    .command('fetch')
    .description(
      'download the full MNIST or Fashion-MNIST once into the cache, where every command finds it',
    )
    .addOption(datasetOption('data set', 'mnist'))
    .option('--url <url>', 'base URL of the four .gz files (default: the public mirror)')
    .option(
      '--cache-dir <dir>',
      'where to keep them (default: ~/.cnnlab/datasets/<name>)',
      path('--cache-dir'),
    )
    .option('--no-verify', 'skip the check against the published sizes and MD5s (for own mirrors)')
    .addHelpText(
      'after',
      examples([
        'cnnlab datasets fetch',
        'cnnlab datasets fetch --dataset fashion-mnist',
        'CNNLAB_HOME=/data/cnnlab cnnlab datasets fetch --url http://mirror.local/mnist/',
      ]) +
        '\nAfter a fetch, --dataset mnist means all 70,000 digits (60,000 / 10,000) instead of the embedded 10,000.\n',
    )
    .action(async (opts, cmd) => {
      await run(
        (out, interrupt) =>
          fetchCommand(
            {
              dataset: parseDataset(opts.dataset),
              verify: opts.verify !== false,
              url: opts.url,
              cacheDir: opts.cacheDir,
            },
            out,
            interrupt,
          ),
        cmd,
      );
    });

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
export async function fetchCommand(
  options: FetchOptions,
  out: Output,
  interrupt: Interrupt,
): Promise<void> {
  if (options.dataset === 'sign-mnist') {
    throw usageError(
      "sign-mnist cannot be fetched (Kaggle's download needs a login): download sign_mnist_train.csv and sign_mnist_test.csv from Kaggle and pass --data-dir",
    );
  }
  const info = options.dataset === 'mnist' ? MNIST_INFO : FASHION_MNIST_INFO;
  const url = options.url ?? info.mirror;
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {}
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw usageError(`--url expects an http:// or https:// address, got '${url}'`);
  }
  const cacheDir = options.cacheDir ?? defaultCacheDir(info.name);
  // Ctrl-C and SIGTERM abort the download, which removes its .part file; the files this run
  // fetched and the folder it created go too.
  interrupt.stopGracefully();
  await withOutputDir(cacheDir, () => download(options, info, url, cacheDir, out, interrupt));
}

async function download(
  options: FetchOptions,
  info: DatasetInfo,
  url: string,
  cacheDir: string,
  out: Output,
  interrupt: Interrupt,
): Promise<void> {
  const files = MNIST_FILE_ROLES.map((role) => join(cacheDir, `${MNIST_FILE_NAMES[role]}.gz`));
  const before = new Set(files.filter((f) => existsSync(f)));
  // One bar for all four downloads: bytes received so far per file, against the published total.
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
      signal: interrupt.signal,
      onProgress: ({ file, received }) => {
        finished.set(file, received);
        bar.update([...finished.values()].reduce((a, b) => a + b, 0));
      },
    });
  } catch (error) {
    // A file that downloaded but does not read (unverified, or not what the URL promised) must
    // not stay in the cache, where every later command would trip on it.
    await Promise.all(files.filter((f) => !before.has(f)).map((f) => rm(f, { force: true })));
    interrupt.check();
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
