import type { TypedArray } from '@cnnlab/core';
import { KernelError } from './errors.js';

/** Typed arrays a matrix may be stored in: those of the image type every package shares. */
export type NumericArray = TypedArray;

/**
 * A 2-D image or kernel in the image type shared by the cnnlab packages: row-major data with its
 * shape `[h, w]` (a single-channel `[h, w, 1]` is accepted too).
 */
export interface Matrix<T extends NumericArray = NumericArray> {
  data: T;
  shape: number[];
}

/** What the filtering functions accept: a Matrix, or nested rows as a person types them. */
export type MatrixInput = Matrix | ReadonlyArray<ReadonlyArray<number>>;

/** A validated matrix: its values and its two dimensions. */
export interface Grid {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
}

/** Checks a matrix argument and returns its values with rows and columns. */
export function toGrid(input: MatrixInput, name: string): Grid {
  if (Array.isArray(input)) {
    const rows = input.length;
    if (rows === 0 || !Array.isArray(input[0]) || input[0].length === 0) {
      throw new KernelError(`${name} is empty; expected at least one row and one column`, name);
    }
    const cols = input[0].length;
    const data = new Float64Array(rows * cols);
    input.forEach((row: unknown, r) => {
      if (!Array.isArray(row) || row.length !== cols) {
        const length = Array.isArray(row) ? `${row.length} values` : typeof row;
        throw new KernelError(`${name} is ragged: row ${r} has ${length}, row 0 has ${cols}`, name);
      }
      row.forEach((value: unknown, c) => {
        if (typeof value !== 'number') {
          throw new KernelError(
            `${name}[${r}][${c}] is ${JSON.stringify(value)}; expected a number`,
            name,
          );
        }
        data[r * cols + c] = value;
      });
    });
    return { data, rows, cols };
  }
  const matrix = input as Matrix;
  if (!matrix || !ArrayBuffer.isView(matrix.data) || !Array.isArray(matrix.shape)) {
    throw new KernelError(
      `${name} must be nested number arrays or { data: TypedArray, shape: [h, w] }`,
      name,
    );
  }
  const { shape, data } = matrix;
  const is2d = shape.length === 2 || (shape.length === 3 && shape[2] === 1);
  if (!is2d || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new KernelError(
      `${name} has shape [${shape.join(', ')}]; expected [h, w] or [h, w, 1]`,
      name,
    );
  }
  const [rows, cols] = shape;
  if (rows === 0 || cols === 0) {
    throw new KernelError(`${name} is empty (shape [${shape.join(', ')}])`, name);
  }
  if (data.length !== rows * cols) {
    throw new KernelError(
      `${name} has shape [${shape.join(', ')}] (${rows * cols} values) but its data holds ${data.length}`,
      name,
    );
  }
  return { data, rows, cols };
}

/** The output type of the filtering functions. */
export type OutputDtype = 'float64' | 'float32';

export function allocate(dtype: OutputDtype, length: number): Float64Array | Float32Array {
  if (dtype === 'float64') return new Float64Array(length);
  if (dtype === 'float32') return new Float32Array(length);
  throw new KernelError(
    `dtype is ${JSON.stringify(dtype)}; expected 'float64' or 'float32'`,
    'dtype',
  );
}

/** The grid turned half a circle: what makes a correlation a convolution. */
export function rotate180(grid: Grid): Grid {
  const n = grid.rows * grid.cols;
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = grid.data[n - 1 - i];
  return { data, rows: grid.rows, cols: grid.cols };
}
