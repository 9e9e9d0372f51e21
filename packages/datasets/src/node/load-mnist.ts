import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type DatasetInfo,
  EMBEDDED_MNIST,
  FASHION_MNIST_INFO,
  MNIST_INFO,
  type PublishedFile,
} from '../catalog.js';
import type { DownloadLimits } from '../download-limits.js';
import { DatasetError } from '../errors.js';
import {
  type DataSource,
  MNIST_FILE_NAMES,
  MNIST_FILE_ROLES,
  type MnistData,
  type MnistFileRole,
  mnistFromFiles,
} from '../mnist-files.js';
import { type DownloadProgress, type DownloadRetry, download } from './download.js';
import { openRegularFile } from './open-regular-file.js';
import { defaultCacheDir, embeddedMnistDir } from './paths.js';
import { readIdxFile } from './read-idx-file.js';

/**
 * Options of the Node loaders; with none, a cached download is used, else the embedded sample.
 * The download limits (`stallTimeoutMs`, `deadlineMs` per file, `maxBytes`, `retries`,
 * `retryDelayMs`, `signal`) apply to each file downloaded with `url`.
 */
export interface LoadMnistOptions extends DownloadLimits {
  /** A folder holding the four files (`train-images-idx3-ubyte`, …), each raw or `.gz`. */
  dir?: string;
  /** Base URL of the four `.gz` files: downloaded once into `cacheDir`, then read from there. */
  url?: string;
  /** Download cache; default `~/.cnnlab/datasets/<name>` (or under `$CNNLAB_HOME`). */
  cacheDir?: string;
  /**
   * Check downloads against the published sizes and MD5s (default true). With `url`, cached files
   * are checked too, and one that does not match is downloaded again.
   */
  verify?: boolean;
  /** Called as download bytes arrive, for a progress bar. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Called before a failed download is tried again. */
  onRetry?: (retry: DownloadRetry) => void;
}

/** The names a file may have in a folder: the standard one, Kaggle's dotted one, each raw or gzip. */
function candidates(dir: string, role: MnistFileRole): string[] {
  const name = MNIST_FILE_NAMES[role];
  const dotted = name.replace(/-(idx\d)/, '.$1');
  return [name, `${name}.gz`, dotted, `${dotted}.gz`].map((file) => join(dir, file));
}

/** Finds all four files in a folder, or null with every path that was looked for. */
function locate(dir: string): { found: Record<MnistFileRole, string> | null; lookedFor: string[] } {
  const found: Partial<Record<MnistFileRole, string>> = {};
  const lookedFor: string[] = [];
  for (const role of MNIST_FILE_ROLES) {
    const paths = candidates(dir, role);
    const hit = paths.find((p) => existsSync(p));
    if (hit) found[role] = hit;
    else lookedFor.push(...paths);
  }
  return {
    found: lookedFor.length === 0 ? (found as Record<MnistFileRole, string>) : null,
    lookedFor,
  };
}

async function readFour(
  info: DatasetInfo,
  paths: Record<MnistFileRole, string>,
  source: DataSource,
) {
  const bytes = await Promise.all(MNIST_FILE_ROLES.map((role) => readIdxFile(paths[role])));
  const files = Object.fromEntries(MNIST_FILE_ROLES.map((role, i) => [role, bytes[i]])) as Record<
    MnistFileRole,
    Uint8Array
  >;
  return mnistFromFiles(files, { name: info.name, classNames: info.classNames, source }, paths);
}

async function fromDir(info: DatasetInfo, dir: string): Promise<MnistData> {
  const { found, lookedFor } = locate(dir);
  if (!found) {
    throw new DatasetError(
      `${info.title}: files missing in ${dir}; looked for ${lookedFor.join(', ')}`,
      { source: dir },
    );
  }
  return readFour(info, found, {
    kind: 'dir',
    location: dir,
    description: `${info.title} from ${dir}`,
  });
}

/** Whether a cached file has the published size and MD5 (read only when the size matches). */
async function isPublished(path: string, published: PublishedFile): Promise<boolean> {
  const { handle, size } = await openRegularFile(path, 'expected a cached download');
  try {
    if (size !== published.size) return false;
    const digest = createHash('md5')
      .update(await handle.readFile())
      .digest('hex');
    return digest === published.md5.toLowerCase();
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function fromUrl(
  info: DatasetInfo,
  url: string,
  cacheDir: string,
  options: LoadMnistOptions,
) {
  const base = url.endsWith('/') ? url : `${url}/`;
  const verify = options.verify ?? true;
  let downloaded = 0;
  // One file at a time keeps progress readable and a failure's cause obvious.
  for (const role of MNIST_FILE_ROLES) {
    const file = `${MNIST_FILE_NAMES[role]}.gz`;
    const dest = join(cacheDir, file);
    const published = info.files[role];
    if (existsSync(dest)) {
      if (!verify || (await isPublished(dest, published))) continue;
      // Cut short, or left by an unverified download from another mirror: fetched again.
      await rm(dest, { force: true });
    }
    await download(`${base}${file}`, dest, {
      size: verify ? published.size : undefined,
      md5: verify ? published.md5 : undefined,
      onProgress: options.onProgress,
      onRetry: options.onRetry,
      stallTimeoutMs: options.stallTimeoutMs,
      deadlineMs: options.deadlineMs,
      maxBytes: options.maxBytes,
      retries: options.retries,
      retryDelayMs: options.retryDelayMs,
      signal: options.signal,
    });
    downloaded++;
  }
  const paths = Object.fromEntries(
    MNIST_FILE_ROLES.map((role) => [role, join(cacheDir, `${MNIST_FILE_NAMES[role]}.gz`)]),
  ) as Record<MnistFileRole, string>;
  const source: DataSource =
    downloaded > 0
      ? {
          kind: 'download',
          location: cacheDir,
          description: `${info.title} downloaded from ${base} into ${cacheDir}`,
        }
      : {
          kind: 'cache',
          location: cacheDir,
          description: `${info.title} from the cache ${cacheDir}`,
        };
  return readFour(info, paths, source);
}

async function load(
  info: DatasetInfo,
  options: LoadMnistOptions,
  embedded: boolean,
): Promise<MnistData> {
  if (options.dir) return fromDir(info, options.dir);
  const cacheDir = options.cacheDir ?? defaultCacheDir(info.name);
  if (options.url) return fromUrl(info, options.url, cacheDir, options);
  const cached = locate(cacheDir);
  if (cached.found) {
    return readFour(info, cached.found, {
      kind: 'cache',
      location: cacheDir,
      description: `${info.title} from the cache ${cacheDir}`,
    });
  }
  if (!embedded) {
    throw new DatasetError(
      `${info.title}: nothing cached (looked for ${cached.lookedFor.join(', ')}); pass dir (a folder with the four files) or url (for example ${info.mirror})`,
      { source: cacheDir },
    );
  }
  const dir = embeddedMnistDir();
  const files = locate(dir);
  if (!files.found) {
    throw new DatasetError(
      `embedded MNIST files are missing in ${dir} (looked for ${files.lookedFor.join(', ')}); build the package first (pnpm build)`,
      { source: dir },
    );
  }
  return readFour(info, files.found, {
    kind: 'embedded',
    location: dir,
    description: `embedded sample: ${EMBEDDED_MNIST.total} real MNIST digits from ${EMBEDDED_MNIST.package} (${EMBEDDED_MNIST.license}), ${EMBEDDED_MNIST.trainSize} train / ${EMBEDDED_MNIST.testSize} test`,
  });
}

/**
 * MNIST, like Keras's `mnist.load_data()`: from `dir`, from `url` (downloaded once into the cache),
 * from the cache, or, with none of these, the embedded 10,000 real digits (8,000 / 2,000).
 */
export function loadMnist(options: LoadMnistOptions = {}): Promise<MnistData> {
  return load(MNIST_INFO, options, true);
}

/** Fashion-MNIST: from `dir`, from `url` (downloaded once into the cache) or from the cache. */
export function loadFashionMnist(options: LoadMnistOptions = {}): Promise<MnistData> {
  return load(FASHION_MNIST_INFO, options, false);
}
