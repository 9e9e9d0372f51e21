import { KernelError } from './errors.js';
import type { Grid } from './matrix.js';

/** How values beyond the image's edge are made up, as in scipy.signal: pad, wrap around, mirror. */
export type Boundary = 'fill' | 'wrap' | 'symm';

export const BOUNDARIES: readonly Boundary[] = ['fill', 'wrap', 'symm'];

export function checkBoundary(boundary: string): Boundary {
  if (!(BOUNDARIES as readonly string[]).includes(boundary)) {
    throw new KernelError(
      `boundary is ${JSON.stringify(boundary)}; expected 'fill', 'wrap' or 'symm'`,
      'boundary',
    );
  }
  return boundary as Boundary;
}

/**
 * Index into [0, n) of position i for a boundary, or -1 for the fill value. 'symm' mirrors with
 * the edge repeated (… b a | a b c | c b …); far positions repeat the pattern with period 2n.
 */
export function boundaryIndex(i: number, n: number, boundary: Boundary): number {
  if (i >= 0 && i < n) return i;
  if (boundary === 'fill') return -1;
  if (boundary === 'wrap') return ((i % n) + n) % n;
  const m = ((i % (2 * n)) + 2 * n) % (2 * n);
  return m < n ? m : 2 * n - 1 - m;
}

/** A padded copy of a grid as float64, with whether every value is finite. */
export interface Padded {
  data: Float64Array;
  rows: number;
  cols: number;
  finite: boolean;
}

/**
 * Copies the grid into a float64 buffer grown by the given margins, filled according to the
 * boundary. One allocation per call; the convolution loops then never test an index.
 */
export function pad(
  grid: Grid,
  margins: { top: number; bottom: number; left: number; right: number },
  boundary: Boundary,
  fillValue: number,
): Padded {
  const rows = grid.rows + margins.top + margins.bottom;
  const cols = grid.cols + margins.left + margins.right;
  const out = new Float64Array(rows * cols);
  const colMap = new Int32Array(cols);
  for (let c = 0; c < cols; c++) colMap[c] = boundaryIndex(c - margins.left, grid.cols, boundary);
  const src = grid.data;
  let finite = true;
  for (let r = 0; r < rows; r++) {
    const sr = boundaryIndex(r - margins.top, grid.rows, boundary);
    const o = r * cols;
    if (sr < 0) {
      out.fill(fillValue, o, o + cols);
      continue;
    }
    const base = sr * grid.cols;
    for (let c = 0; c < cols; c++) {
      const sc = colMap[c];
      const v = sc < 0 ? fillValue : src[base + sc];
      if (finite && !Number.isFinite(v)) finite = false;
      out[o + c] = v;
    }
  }
  if (!Number.isFinite(fillValue) && rows * cols > grid.rows * grid.cols) finite = false;
  return { data: out, rows, cols, finite };
}
