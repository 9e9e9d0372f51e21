import { type DatasetInfo, EMBEDDED_MNIST, FASHION_MNIST_INFO, MNIST_INFO } from '../catalog.js';
import type { DownloadLimits } from '../download-limits.js';
import { embeddedMnistUrls } from '../embedded-location.js';
import { DatasetError } from '../errors.js';
import {
  type DataSource,
  MNIST_FILE_NAMES,
  MNIST_FILE_ROLES,
  type MnistData,
  type MnistFileRole,
  mnistFromFiles,
} from '../mnist-files.js';
import { fetchBytes } from './fetch-bytes.js';

/**
 * Options of the browser loaders: everything comes over HTTP, each file bounded by `maxBytes`
 * (default 1 GiB) and `stallTimeoutMs` (default 30 s), and stopped by `signal`.
 */
export interface LoadMnistOptions
  extends Pick<DownloadLimits, 'signal' | 'maxBytes' | 'stallTimeoutMs'> {
  /** Base URL of the four `.gz` files (e.g. `MNIST_INFO.mirror`, or a folder your app serves). */
  url?: string;
  /**
   * Folder where you serve the embedded files yourself. By default each file is fetched from the
   * URL your bundler emitted for it (or the package's own `data/mnist/` when not bundled).
   */
  embeddedUrl?: string | URL;
  /** A fetch implementation, for tests or special transports. */
  fetch?: typeof fetch;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The URLs of the four `.gz` files under a base URL, by their standard names. */
function urlsUnder(base: string | URL): Record<MnistFileRole, string> {
  const folder = withSlash(String(base));
  return Object.fromEntries(
    MNIST_FILE_ROLES.map((role) => [role, `${folder}${MNIST_FILE_NAMES[role]}.gz`]),
  ) as Record<MnistFileRole, string>;
}

async function fetchDataset(
  info: DatasetInfo,
  urls: Record<MnistFileRole, string>,
  source: DataSource,
  options: LoadMnistOptions,
) {
  // The first file that fails stops the others.
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  let bytes: Uint8Array[];
  try {
    bytes = await Promise.all(
      MNIST_FILE_ROLES.map((role) =>
        fetchBytes(urls[role], {
          fetch: options.fetch,
          maxBytes: options.maxBytes,
          stallTimeoutMs: options.stallTimeoutMs,
          signal: controller.signal,
        }).catch((error: unknown) => {
          controller.abort(error);
          throw error;
        }),
      ),
    );
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  const files = Object.fromEntries(MNIST_FILE_ROLES.map((role, i) => [role, bytes[i]])) as Record<
    MnistFileRole,
    Uint8Array
  >;
  return mnistFromFiles(files, { name: info.name, classNames: info.classNames, source }, urls);
}

/**
 * MNIST in the browser: from `url` when given, else the embedded 10,000 digits served with the
 * package (8,000 train / 2,000 test).
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<MnistData> {
  if (options.url) {
    const source: DataSource = {
      kind: 'url',
      location: options.url,
      description: `MNIST from ${options.url}`,
    };
    return fetchDataset(MNIST_INFO, urlsUnder(options.url), source, options);
  }
  let urls: Record<MnistFileRole, string>;
  let location: string;
  if (options.embeddedUrl) {
    urls = urlsUnder(options.embeddedUrl);
    location = String(options.embeddedUrl);
  } else {
    // The per-file URLs, which bundlers rewrite to the copies they emit.
    const embedded = embeddedMnistUrls();
    urls = Object.fromEntries(
      MNIST_FILE_ROLES.map((role) => [role, String(embedded[role])]),
    ) as Record<MnistFileRole, string>;
    location = String(new URL('./', embedded.trainImages));
  }
  const source: DataSource = {
    kind: 'embedded',
    location,
    description: `embedded sample: ${EMBEDDED_MNIST.total} real MNIST digits from ${EMBEDDED_MNIST.package} (${EMBEDDED_MNIST.license}), ${EMBEDDED_MNIST.trainSize} train / ${EMBEDDED_MNIST.testSize} test`,
  };
  return fetchDataset(MNIST_INFO, urls, source, options);
}

/** Fashion-MNIST in the browser, from the base URL of its four `.gz` files. */
export async function loadFashionMnist(options: LoadMnistOptions = {}): Promise<MnistData> {
  if (!options.url) {
    throw new DatasetError(
      `loadFashionMnist: give options.url, the base URL of the four .gz files (for example ${FASHION_MNIST_INFO.mirror}); nothing of Fashion-MNIST is embedded`,
      { source: 'url' },
    );
  }
  const source: DataSource = {
    kind: 'url',
    location: options.url,
    description: `Fashion-MNIST from ${options.url}`,
  };
  return fetchDataset(FASHION_MNIST_INFO, urlsUnder(options.url), source, options);
}
