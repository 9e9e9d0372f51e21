import { type Boundary, checkBoundary, pad } from './boundary.js';
import { correlateValid, type Method } from './correlate-core.js';
import { KernelError } from './errors.js';
import {
  allocate,
  type Matrix,
  type MatrixInput,
  type OutputDtype,
  rotate180,
  toGrid,
} from './matrix.js';
import { checkMethod, checkMode, type Mode } from './options.js';

export interface Convolve2dOptions {
  /** 'full' (default, as scipy), 'same' (the size of the image) or 'valid' (no padding). */
  mode?: Mode;
  /** How the image is extended past its edges: 'fill' (default), 'wrap' or 'symm'. */
  boundary?: Boundary;
  /** The value of 'fill' (default 0). */
  fillValue?: number;
  /** Element type of the result: 'float64' (default) or 'float32'. */
  dtype?: OutputDtype;
  /** 'auto' (default) takes the separable path for large rank-one kernels. */
  method?: Method;
}

/** The output of a filter: values and their `[rows, cols]`. */
export type FilterOutput = Matrix<Float64Array | Float32Array>;

function filter2d(
  image: MatrixInput,
  kernel: MatrixInput,
  options: Convolve2dOptions,
  flip: boolean,
): FilterOutput {
  let a = toGrid(image, 'image');
  let k = toGrid(kernel, 'kernel');
  const mode = checkMode(options.mode ?? 'full');
  const boundary = checkBoundary(options.boundary ?? 'fill');
  const method = checkMethod(options.method ?? 'auto');
  const fillValue = options.fillValue ?? 0;
  if (typeof fillValue !== 'number') {
    throw new KernelError(
      `fillValue is ${JSON.stringify(fillValue)}; expected a number`,
      'fillValue',
    );
  }
  // scipy's rule for 'valid': one input must be at least as large as the other in every
  // dimension; when the kernel is the larger, the two swap roles.
  let swapped = false;
  if (mode === 'valid' && !(a.rows >= k.rows && a.cols >= k.cols)) {
    if (k.rows >= a.rows && k.cols >= a.cols) {
      [a, k] = [k, a];
      swapped = true;
    } else {
      throw new KernelError(
        `in 'valid' mode one input must be at least as large as the other in every dimension; image is ${a.rows}×${a.cols}, kernel ${k.rows}×${k.cols}`,
        'kernel',
      );
    }
  }
  // Convolution is correlation with the kernel turned half a circle.
  const weights = flip ? rotate180(k) : k;
  const K = k.rows;
  const L = k.cols;
  let top = 0;
  let left = 0;
  let outRows = a.rows - K + 1;
  let outCols = a.cols - L + 1;
  if (mode === 'full') {
    top = K - 1;
    left = L - 1;
    outRows = a.rows + K - 1;
    outCols = a.cols + L - 1;
  } else if (mode === 'same') {
    // Centred on the full result as scipy centres it: for even kernels, correlation leans one
    // way and convolution the other.
    top = flip ? Math.ceil((K - 1) / 2) : Math.floor((K - 1) / 2);
    left = flip ? Math.ceil((L - 1) / 2) : Math.floor((L - 1) / 2);
    outRows = a.rows;
    outCols = a.cols;
  }
  const margins = {
    top,
    left,
    bottom: outRows + K - 1 - a.rows - top,
    right: outCols + L - 1 - a.cols - left,
  };
  const padded = pad(a, margins, boundary, fillValue);
  const out = allocate(options.dtype ?? 'float64', outRows * outCols);
  correlateValid(
    padded,
    weights.data,
    {
      kernelRows: K,
      kernelCols: L,
      strideY: 1,
      strideX: 1,
      dilationY: 1,
      dilationX: 1,
      outRows,
      outCols,
    },
    out,
    method,
  );
  if (swapped && !flip) out.reverse(); // scipy returns the swapped correlation reversed
  return { data: out, shape: [outRows, outCols] };
}

/**
 * 2-D convolution with the semantics of `scipy.signal.convolve2d`: the kernel is flipped, `mode`
 * sets the output size and `boundary` / `fillValue` what lies beyond the edges.
 */
export function convolve2d(
  image: MatrixInput,
  kernel: MatrixInput,
  options: Convolve2dOptions = {},
): FilterOutput {
  return filter2d(image, kernel, options, true);
}

/** 2-D cross-correlation with the semantics of `scipy.signal.correlate2d` (no flip). */
export function correlate2d(
  image: MatrixInput,
  kernel: MatrixInput,
  options: Convolve2dOptions = {},
): FilterOutput {
  return filter2d(image, kernel, options, false);
}
