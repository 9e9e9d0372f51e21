import { type DatasetInfo, EMBEDDED_MNIST, FASHION_MNIST_INFO, MNIST_INFO } from '../catalog.js';
import { embeddedMnistUrl } from '../embedded-location.js';
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

/** Options of the browser loaders: everything comes over HTTP. */
export interface LoadMnistOptions {
  /** Base URL of the four `.gz` files (e.g. `MNIST_INFO.mirror`, or a folder your app serves). */
  url?: string;
  /** Where the embedded files are served; defaults to the package's own `data/mnist/` folder. */
  embeddedUrl?: string | URL;
  /** A fetch implementation, for tests or special transports. */
  fetch?: typeof fetch;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

async function fetchFour(base: string, fetchImpl?: typeof fetch) {
  const entries = await Promise.all(
    MNIST_FILE_ROLES.map(
      async (role) =>
        [role, await fetchBytes(`${base}${MNIST_FILE_NAMES[role]}.gz`, fetchImpl)] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<MnistFileRole, Uint8Array>;
}

async function fetchDataset(
  info: DatasetInfo,
  base: string,
  source: DataSource,
  fetchImpl?: typeof fetch,
) {
  const files = await fetchFour(withSlash(base), fetchImpl);
  const names = Object.fromEntries(
    MNIST_FILE_ROLES.map((role) => [role, `${withSlash(base)}${MNIST_FILE_NAMES[role]}.gz`]),
  ) as Record<MnistFileRole, string>;
  return mnistFromFiles(files, { name: info.name, classNames: info.classNames, source }, names);
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
    return fetchDataset(MNIST_INFO, options.url, source, options.fetch);
  }
  const base = String(options.embeddedUrl ?? embeddedMnistUrl());
  const source: DataSource = {
    kind: 'embedded',
    location: base,
    description: `embedded sample: ${EMBEDDED_MNIST.total} real MNIST digits from ${EMBEDDED_MNIST.package} (${EMBEDDED_MNIST.license}), ${EMBEDDED_MNIST.trainSize} train / ${EMBEDDED_MNIST.testSize} test`,
  };
  return fetchDataset(MNIST_INFO, base, source, options.fetch);
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
  return fetchDataset(FASHION_MNIST_INFO, options.url, source, options.fetch);
}
