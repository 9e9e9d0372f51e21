import type { Padded } from './boundary.js';
import { separate } from './separable.js';

/** How the inner loops run: all taps at once, or a row pass then a column pass. */
export type Method = 'auto' | 'direct' | 'separable';

/** Geometry of a 'valid' correlation over an already padded image. */
export interface Window {
  kernelRows: number;
  kernelCols: number;
  strideY: number;
  strideX: number;
  dilationY: number;
  dilationX: number;
  outRows: number;
  outCols: number;
}

/**
 * out[i, j] = Σ_u Σ_v image[i·sy + u·dy, j·sx + v·dx] · kernel[u, v] over a padded image: the one
 * loop every mode, boundary, stride and dilation reduces to. Sums are accumulated in float64.
 */
export function correlateValid(
  image: Padded,
  kernel: ArrayLike<number>,
  w: Window,
  out: Float64Array | Float32Array,
  method: Method,
): void {
  const K = w.kernelRows;
  const L = w.kernelCols;
  const factors = method !== 'direct' && K > 1 && L > 1 ? separate(kernel, K, L) : null;
  // 'auto' counts the multiplications each path does (zeros are skipped) and takes the
  // separable one only when it saves a clear share, since it also writes an intermediate image.
  const nonZero = (values: ArrayLike<number>) =>
    Array.prototype.filter.call(values, (v: number) => v !== 0).length;
  const separable =
    factors !== null &&
    (method === 'separable' ||
      1.3 * (nonZero(factors.column) + nonZero(factors.row)) < nonZero(kernel));
  if (separable && factors) separablePass(image, factors.column, factors.row, w, out);
  else directPass(image, kernel, w, out);
}

interface Taps {
  offsets: Int32Array;
  weights: Float64Array;
  count: number;
}

/**
 * The kernel as a list of (offset, weight) pairs. With finite values a zero weight adds exactly
 * nothing and is dropped; with NaN or ±Inf it must stay (0 · Inf is NaN), as in scipy.
 */
function tapsOf(
  weights: ArrayLike<number>,
  offsetOf: (index: number) => number,
  keepZeros: boolean,
): Taps {
  const offsets = new Int32Array(weights.length);
  const kept = new Float64Array(weights.length);
  let count = 0;
  for (let t = 0; t < weights.length; t++) {
    if (weights[t] === 0 && !keepZeros) continue;
    offsets[count] = offsetOf(t);
    kept[count++] = weights[t];
  }
  return { offsets, weights: kept, count };
}

/**
 * acc[at + j] += Σ_t w_t · src[base + offset_t + j·step] for j < n. Three taps share one sweep
 * over the row: a third of the loads and stores of acc, which is where the time goes.
 */
function addTaps(
  acc: Float64Array,
  at: number,
  src: Float64Array,
  base: number,
  taps: Taps,
  step: number,
  n: number,
): void {
  const { offsets, weights, count } = taps;
  let t = 0;
  for (; t + 3 <= count; t += 3) {
    const w0 = weights[t];
    const w1 = weights[t + 1];
    const w2 = weights[t + 2];
    const p0 = base + offsets[t];
    const p1 = base + offsets[t + 1];
    const p2 = base + offsets[t + 2];
    if (step === 1) {
      for (let j = 0; j < n; j++)
        acc[at + j] += w0 * src[p0 + j] + w1 * src[p1 + j] + w2 * src[p2 + j];
    } else {
      for (let j = 0, q = 0; j < n; j++, q += step) {
        acc[at + j] += w0 * src[p0 + q] + w1 * src[p1 + q] + w2 * src[p2 + q];
      }
    }
  }
  for (; t < count; t++) {
    const w0 = weights[t];
    const p0 = base + offsets[t];
    for (let j = 0, q = 0; j < n; j++, q += step) acc[at + j] += w0 * src[p0 + q];
  }
}

function directPass(
  image: Padded,
  kernel: ArrayLike<number>,
  w: Window,
  out: Float64Array | Float32Array,
) {
  const {
    kernelCols: L,
    strideY: sy,
    strideX: sx,
    dilationY: dy,
    dilationX: dx,
    outRows,
    outCols,
  } = w;
  const width = image.cols;
  const taps = tapsOf(kernel, (t) => Math.floor(t / L) * dy * width + (t % L) * dx, !image.finite);
  const acc = new Float64Array(outCols);
  for (let i = 0; i < outRows; i++) {
    acc.fill(0);
    addTaps(acc, 0, image.data, i * sy * width, taps, sx, outCols);
    out.set(acc, i * outCols);
  }
}

function separablePass(
  image: Padded,
  column: Float64Array,
  row: Float64Array,
  w: Window,
  out: Float64Array | Float32Array,
) {
  const {
    kernelRows: K,
    strideY: sy,
    strideX: sx,
    dilationY: dy,
    dilationX: dx,
    outRows,
    outCols,
  } = w;
  const width = image.cols;
  const keepZeros = !image.finite;
  // Row pass over every padded row the column pass reads, then the column pass over its result.
  const usedRows = (outRows - 1) * sy + (K - 1) * dy + 1;
  const tmp = new Float64Array(usedRows * outCols);
  const rowTaps = tapsOf(row, (v) => v * dx, keepZeros);
  for (let r = 0; r < usedRows; r++)
    addTaps(tmp, r * outCols, image.data, r * width, rowTaps, sx, outCols);
  const columnTaps = tapsOf(column, (u) => u * dy * outCols, keepZeros);
  const acc = new Float64Array(outCols);
  for (let i = 0; i < outRows; i++) {
    acc.fill(0);
    addTaps(acc, 0, tmp, i * sy * outCols, columnTaps, 1, outCols);
    out.set(acc, i * outCols);
  }
}
