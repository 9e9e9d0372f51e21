import { KernelError } from './errors.js';
import type { Matrix } from './matrix.js';

/** Names of the built-in kernels. */
export type FilterName =
  | 'smoothing'
  | 'horizontal-edge'
  | 'vertical-edge'
  | 'edge-detector'
  | 'sobel-x'
  | 'sobel-y'
  | 'prewitt-x'
  | 'prewitt-y'
  | 'laplacian'
  | 'sharpen'
  | 'emboss'
  | 'identity'
  | 'box'
  | 'gaussian';

/** Options of the sized kernels: 'box', 'gaussian' and 'identity'. */
export interface FilterOptions {
  /** Side of the square kernel. Default 3 (box, identity) or 5 (gaussian). */
  size?: number;
  /** Standard deviation of 'gaussian'; default 0.3·((size − 1)/2 − 1) + 0.8, OpenCV's rule. */
  sigma?: number;
}

function fixed(rows: number[][]): () => Matrix<Float64Array> {
  return () => ({ data: Float64Array.from(rows.flat()), shape: [rows.length, rows[0].length] });
}

/** A 1-D Gaussian of `size` taps, normalised to sum to one. */
export function gaussian1d(size: number, sigma: number): Float64Array {
  const out = new Float64Array(size);
  const centre = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) {
    out[i] = Math.exp(-((i - centre) ** 2) / (2 * sigma * sigma));
    sum += out[i];
  }
  for (let i = 0; i < size; i++) out[i] /= sum;
  return out;
}

function checkSize(size: number, name: string, odd: boolean): number {
  if (!Number.isInteger(size) || size < 1 || (odd && size % 2 === 0)) {
    throw new KernelError(
      `${name}: size is ${size}; expected a positive ${odd ? 'odd ' : ''}integer`,
      'size',
    );
  }
  return size;
}

/** A size × size Gaussian blur, the outer product of two 1-D Gaussians; sums to one. */
export function gaussianKernel(size = 5, sigma?: number): Matrix<Float64Array> {
  checkSize(size, 'gaussian', false);
  const s = sigma ?? 0.3 * ((size - 1) / 2 - 1) + 0.8;
  if (!(s > 0) || !Number.isFinite(s)) {
    throw new KernelError(`gaussian: sigma is ${sigma}; expected a positive number`, 'sigma');
  }
  const g = gaussian1d(size, s);
  const data = new Float64Array(size * size);
  for (let u = 0; u < size; u++) for (let v = 0; v < size; v++) data[u * size + v] = g[u] * g[v];
  return { data, shape: [size, size] };
}

/** A size × size mean filter (every weight 1 / size²). */
export function boxKernel(size = 3): Matrix<Float64Array> {
  checkSize(size, 'box', false);
  return { data: new Float64Array(size * size).fill(1 / (size * size)), shape: [size, size] };
}

function identityKernel(size = 3): Matrix<Float64Array> {
  checkSize(size, 'identity', true);
  const data = new Float64Array(size * size);
  data[(size * size - 1) / 2] = 1;
  return { data, shape: [size, size] };
}

interface FilterEntry {
  description: string;
  make: (options: FilterOptions) => Matrix<Float64Array>;
}

/** The built-in kernels, with a line on what each one shows. */
export const FILTERS: Readonly<Record<FilterName, FilterEntry>> = {
  smoothing: {
    description: "the workshop's smoothing kernel: a 3×3 of ones (sums the neighbourhood)",
    make: fixed([
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ]),
  },
  'horizontal-edge': {
    description: "the workshop's horizontal edge detector: a bright row between dark ones",
    make: fixed([
      [-1, -1, -1],
      [2, 2, 2],
      [-1, -1, -1],
    ]),
  },
  'vertical-edge': {
    description: "the workshop's vertical edge detector: a bright column between dark ones",
    make: fixed([
      [-1, 2, -1],
      [-1, 2, -1],
      [-1, 2, -1],
    ]),
  },
  'edge-detector': {
    description: "the workshop's edge detector: the centre against its eight neighbours",
    make: fixed([
      [-1, -1, -1],
      [-1, 8, -1],
      [-1, -1, -1],
    ]),
  },
  'sobel-x': {
    description: 'Sobel gradient along x (responds to vertical edges)',
    make: fixed([
      [-1, 0, 1],
      [-2, 0, 2],
      [-1, 0, 1],
    ]),
  },
  'sobel-y': {
    description: 'Sobel gradient along y (responds to horizontal edges)',
    make: fixed([
      [-1, -2, -1],
      [0, 0, 0],
      [1, 2, 1],
    ]),
  },
  'prewitt-x': {
    description: 'Prewitt gradient along x',
    make: fixed([
      [-1, 0, 1],
      [-1, 0, 1],
      [-1, 0, 1],
    ]),
  },
  'prewitt-y': {
    description: 'Prewitt gradient along y',
    make: fixed([
      [-1, -1, -1],
      [0, 0, 0],
      [1, 1, 1],
    ]),
  },
  laplacian: {
    description: 'Laplacian (4-neighbour): second derivative, zero on flat and sloped areas',
    make: fixed([
      [0, 1, 0],
      [1, -4, 1],
      [0, 1, 0],
    ]),
  },
  sharpen: {
    description: 'sharpen: the image plus its Laplacian detail',
    make: fixed([
      [0, -1, 0],
      [-1, 5, -1],
      [0, -1, 0],
    ]),
  },
  emboss: {
    description: 'emboss: a diagonal relief',
    make: fixed([
      [-2, -1, 0],
      [-1, 1, 1],
      [0, 1, 2],
    ]),
  },
  identity: {
    description: 'identity: leaves the image as it is (odd size, default 3)',
    make: (options) => identityKernel(options.size),
  },
  box: {
    description: 'box blur: the mean of a size × size window (default 3)',
    make: (options) => boxKernel(options.size),
  },
  gaussian: {
    description: 'Gaussian blur of a given size (default 5) and sigma',
    make: (options) => gaussianKernel(options.size, options.sigma),
  },
};

export const FILTER_NAMES = Object.keys(FILTERS) as FilterName[];

/** A built-in kernel by name, as a fresh `{ data: Float64Array, shape }`. */
export function namedKernel(name: FilterName, options: FilterOptions = {}): Matrix<Float64Array> {
  const entry = Object.hasOwn(FILTERS, name) ? FILTERS[name] : undefined;
  if (!entry) {
    throw new KernelError(
      `unknown filter ${JSON.stringify(name)}; expected one of ${FILTER_NAMES.join(', ')}`,
      'name',
    );
  }
  return entry.make(options);
}
