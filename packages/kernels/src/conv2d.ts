import { type Boundary, checkBoundary, pad } from './boundary.js';
import type { FilterOutput } from './convolve2d.js';
import { correlateValid, type Method } from './correlate-core.js';
import { KernelError } from './errors.js';
import { allocate, type MatrixInput, type OutputDtype, rotate180, toGrid } from './matrix.js';
import { checkMethod, pairOf } from './options.js';

export interface Conv2dOptions {
  /** Keras's padding: 'valid' (default, no padding) or 'same' (output ceil(n / stride)). */
  padding?: 'valid' | 'same';
  /** Step between windows, one number or [rows, cols]. Default 1. */
  strides?: number | readonly [number, number];
  /** Spacing between kernel taps (atrous convolution), one number or [rows, cols]. Default 1. */
  dilation?: number | readonly [number, number];
  /** What 'same' pads with: 'fill' (default, zeros as in Keras), 'wrap' or 'symm'. */
  boundary?: Boundary;
  fillValue?: number;
  /** Flip the kernel (true convolution). Default false: cross-correlation, as Conv2D computes. */
  flip?: boolean;
  dtype?: OutputDtype;
  method?: Method;
}

/**
 * What a Keras Conv2D layer computes on one channel with one filter: cross-correlation with
 * strides and dilation, and Keras's output sizes — 'valid' ceil((n − k' + 1) / s) and 'same'
 * ceil(n / s), k' = (k − 1)·d + 1, the padding split as TensorFlow splits it (extra at the end).
 */
export function conv2d(
  image: MatrixInput,
  kernel: MatrixInput,
  options: Conv2dOptions = {},
): FilterOutput {
  const a = toGrid(image, 'image');
  const k = toGrid(kernel, 'kernel');
  const [sy, sx] = pairOf(options.strides ?? 1, 'strides');
  const [dy, dx] = pairOf(options.dilation ?? 1, 'dilation');
  const padding = options.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'same') {
    throw new KernelError(
      `padding is ${JSON.stringify(padding)}; expected 'valid' or 'same'`,
      'padding',
    );
  }
  const boundary = checkBoundary(options.boundary ?? 'fill');
  const method = checkMethod(options.method ?? 'auto');
  const spanY = (k.rows - 1) * dy + 1;
  const spanX = (k.cols - 1) * dx + 1;
  let outRows: number;
  let outCols: number;
  let margins = { top: 0, bottom: 0, left: 0, right: 0 };
  if (padding === 'valid') {
    if (spanY > a.rows || spanX > a.cols) {
      throw new KernelError(
        `kernel spans ${spanY}×${spanX} (with dilation) but image is ${a.rows}×${a.cols}; 'valid' padding needs the kernel to fit`,
        'kernel',
      );
    }
    outRows = Math.ceil((a.rows - spanY + 1) / sy);
    outCols = Math.ceil((a.cols - spanX + 1) / sx);
  } else {
    outRows = Math.ceil(a.rows / sy);
    outCols = Math.ceil(a.cols / sx);
    const padY = Math.max((outRows - 1) * sy + spanY - a.rows, 0);
    const padX = Math.max((outCols - 1) * sx + spanX - a.cols, 0);
    margins = {
      top: Math.floor(padY / 2),
      bottom: padY - Math.floor(padY / 2),
      left: Math.floor(padX / 2),
      right: padX - Math.floor(padX / 2),
    };
  }
  const padded = pad(a, margins, boundary, options.fillValue ?? 0);
  const weights = options.flip ? rotate180(k).data : k.data;
  const out = allocate(options.dtype ?? 'float64', outRows * outCols);
  correlateValid(
    padded,
    weights,
    {
      kernelRows: k.rows,
      kernelCols: k.cols,
      strideY: sy,
      strideX: sx,
      dilationY: dy,
      dilationX: dx,
      outRows,
      outCols,
    },
    out,
    method,
  );
  return { data: out, shape: [outRows, outCols] };
}
