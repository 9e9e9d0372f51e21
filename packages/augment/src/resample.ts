import type { FillMode } from './fill-mode.js';
import type { AffineMap } from './transform.js';

/** Coordinates this close to a whole pixel count as on it, so exact quarter turns stay exact. */
const SNAP = 1e-9;

function snap(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - r) < SNAP ? r : v;
}

/** 'reflect': half-sample symmetric extension (d c b a | a b c d | d c b a), period 2n. */
function mirror(i: number, n: number): number {
  const m = ((i % (2 * n)) + 2 * n) % (2 * n);
  return m < n ? m : 2 * n - 1 - m;
}

/**
 * Neighbours and weight along one axis for 'reflect' or 'wrap': writes [i0, i1, fraction] into
 * `out`. Coordinates inside [0, n − 1] keep their neighbours.
 */
function foldAxis(x: number, n: number, mode: 'reflect' | 'wrap', out: Float64Array): void {
  let v = x;
  if (mode === 'wrap' && (v < 0 || v > n - 1))
    v = n === 1 ? 0 : ((v % (n - 1)) + (n - 1)) % (n - 1);
  const i0 = Math.floor(v);
  if (mode === 'wrap') {
    out[0] = i0;
    out[1] = i0 + 1 < n ? i0 + 1 : i0;
  } else {
    out[0] = mirror(i0, n);
    out[1] = mirror(i0 + 1, n);
  }
  out[2] = v - i0;
}

/**
 * Bilinear sample at (x, y), both inside [0, h − 1] × [0, w − 1]: the order-1 spline of
 * scipy.ndimage, as two linear blends along the columns and one along the rows.
 */
function bilinear(
  src: ArrayLike<number>,
  srcOffset: number,
  rowStride: number,
  c: number,
  hMax: number,
  wMax: number,
  x: number,
  y: number,
  out: Float32Array,
  o: number,
): void {
  // Non-negative here, so truncation is floor.
  const r0 = x | 0;
  const c0 = y | 0;
  const fr = x - r0;
  const fc = y - c0;
  const p00 = srcOffset + r0 * rowStride + c0 * c;
  const p01 = c0 < wMax ? p00 + c : p00;
  const p10 = r0 < hMax ? p00 + rowStride : p00;
  const p11 = c0 < wMax ? p10 + c : p10;
  if (c === 1) {
    const top = src[p00] + fc * (src[p01] - src[p00]);
    out[o] = top + fr * (src[p10] + fc * (src[p11] - src[p10]) - top);
    return;
  }
  for (let k = 0; k < c; k++) {
    const top = src[p00 + k] + fc * (src[p01 + k] - src[p00 + k]);
    const bottom = src[p10 + k] + fc * (src[p11 + k] - src[p10 + k]);
    out[o + k] = top + fr * (bottom - top);
  }
}

/** 'reflect' or 'wrap' past an edge: neighbours by the fill mode, then the same blends. */
function foldedPixel(
  src: ArrayLike<number>,
  srcOffset: number,
  h: number,
  w: number,
  c: number,
  x: number,
  y: number,
  mode: 'reflect' | 'wrap',
  out: Float32Array,
  o: number,
  rows: Float64Array,
  cols: Float64Array,
): void {
  foldAxis(snap(x), h, mode, rows);
  foldAxis(snap(y), w, mode, cols);
  const fr = rows[2];
  const fc = cols[2];
  const p00 = srcOffset + (rows[0] * w + cols[0]) * c;
  const p01 = srcOffset + (rows[0] * w + cols[1]) * c;
  const p10 = srcOffset + (rows[1] * w + cols[0]) * c;
  const p11 = srcOffset + (rows[1] * w + cols[1]) * c;
  for (let k = 0; k < c; k++) {
    const top = src[p00 + k] + fc * (src[p01 + k] - src[p00 + k]);
    const bottom = src[p10 + k] + fc * (src[p11 + k] - src[p10 + k]);
    out[o + k] = top + fr * (bottom - top);
  }
}

/** First and one-past-last j in [0, w) with lo <= start + step·j < hi (strictly below hi). */
function span(
  start: number,
  step: number,
  lo: number,
  hi: number,
  w: number,
  which: 0 | 1,
): number {
  if (step === 0) return start >= lo && start < hi ? (which === 0 ? 0 : w) : 0;
  const j1 = (lo - start) / step;
  const j2 = (hi - start) / step;
  return which === 0
    ? Math.max(0, Math.ceil(Math.min(j1, j2)))
    : Math.min(w, Math.ceil(Math.max(j1, j2)));
}

/**
 * Samples the image through an affine map with bilinear interpolation (scipy.ndimage order 1),
 * writing h × w × c float32 values at `outOffset`, in one pass with no allocation per pixel.
 * Each output row splits into a middle run whose four neighbours are surely inside (no tests at
 * all) and the ends, where 'nearest' clamps the coordinates, 'constant' tests the range and
 * 'reflect' / 'wrap' fold the neighbours.
 */
export function resample(
  src: ArrayLike<number>,
  srcOffset: number,
  h: number,
  w: number,
  c: number,
  map: AffineMap,
  mode: FillMode,
  cval: number,
  out: Float32Array,
  outOffset: number,
): void {
  const { a00, a01, a10, a11, b0, b1 } = map;
  const hMax = h - 1;
  const wMax = w - 1;
  const rowStride = w * c;
  // How far outside still counts as on the edge: nowhere for 'nearest' (everything clamps),
  // the snapping distance for 'constant'.
  const reach = mode === 'nearest' ? Number.POSITIVE_INFINITY : SNAP;
  const folds = mode === 'reflect' || mode === 'wrap';
  const rows = new Float64Array(3);
  const cols = new Float64Array(3);
  for (let i = 0; i < h; i++) {
    const x0 = a00 * i + b0;
    const y0 = a10 * i + b1;
    const rowOut = outOffset + i * rowStride;
    // Middle run: 0 <= x < h − 1 and 0 <= y < w − 1, so r0 + 1 and c0 + 1 exist. The bounds come
    // from divisions; the ends are then checked with the loop's own arithmetic.
    let lo = Math.max(span(x0, a01, 0, hMax, w, 0), span(y0, a11, 0, wMax, w, 0));
    let hi = Math.max(lo, Math.min(span(x0, a01, 0, hMax, w, 1), span(y0, a11, 0, wMax, w, 1)));
    while (lo < hi) {
      const x = x0 + a01 * lo;
      const y = y0 + a11 * lo;
      if (x >= 0 && x < hMax && y >= 0 && y < wMax) break;
      lo++;
    }
    while (hi > lo) {
      const x = x0 + a01 * (hi - 1);
      const y = y0 + a11 * (hi - 1);
      if (x >= 0 && x < hMax && y >= 0 && y < wMax) break;
      hi--;
    }
    for (let j = 0; j < w; j++) {
      if (j === lo && lo < hi) {
        // The tight loop: affine coordinates, floor by truncation, two blends per channel.
        if (c === 1) {
          for (; j < hi; j++) {
            const x = x0 + a01 * j;
            const y = y0 + a11 * j;
            const r0 = x | 0;
            const c0 = y | 0;
            const fc = y - c0;
            const p00 = srcOffset + r0 * rowStride + c0;
            const p10 = p00 + rowStride;
            const top = src[p00] + fc * (src[p00 + 1] - src[p00]);
            out[rowOut + j] = top + (x - r0) * (src[p10] + fc * (src[p10 + 1] - src[p10]) - top);
          }
        }
        for (; j < hi; j++) {
          const x = x0 + a01 * j;
          const y = y0 + a11 * j;
          const r0 = x | 0;
          const c0 = y | 0;
          const fr = x - r0;
          const fc = y - c0;
          const p00 = srcOffset + r0 * rowStride + c0 * c;
          const p10 = p00 + rowStride;
          const o = rowOut + j * c;
          for (let k = 0; k < c; k++) {
            const top = src[p00 + k] + fc * (src[p00 + c + k] - src[p00 + k]);
            const bottom = src[p10 + k] + fc * (src[p10 + c + k] - src[p10 + k]);
            out[o + k] = top + fr * (bottom - top);
          }
        }
        if (j >= w) break;
      }
      const x = x0 + a01 * j;
      const y = y0 + a11 * j;
      const o = rowOut + j * c;
      if (x < -reach || x > hMax + reach || y < -reach || y > wMax + reach) {
        if (folds)
          foldedPixel(
            src,
            srcOffset,
            h,
            w,
            c,
            x,
            y,
            mode as 'reflect' | 'wrap',
            out,
            o,
            rows,
            cols,
          );
        else for (let k = 0; k < c; k++) out[o + k] = cval;
        continue;
      }
      const xc = Math.min(Math.max(x, 0), hMax);
      const yc = Math.min(Math.max(y, 0), wMax);
      bilinear(src, srcOffset, rowStride, c, hMax, wMax, xc, yc, out, o);
    }
  }
}
