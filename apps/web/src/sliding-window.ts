// The filters section's animation, without a browser: where the kernel sits at each step of a
// 2-D convolution, what it reads there, and the products and running sum that make the one
// output value. The padding follows the functions the section computes its output with:
// scipy's convolve2d at stride 1, a Keras-style Conv2D (its 'same' margins) at larger strides.

/** 'valid': no padding; 'same': the output as large as the input (stride 1); 'full': every overlap. */
export type SlideMode = 'valid' | 'same' | 'full';

export interface SlideMatrix {
  data: ArrayLike<number>;
  shape: [number, number];
}

/** The zeros added on each side of the input. */
export interface Margins {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Everything fixed for one run of the animation: the padded input, the kernel, the sizes. */
export interface SlidingWindow {
  rows: number;
  cols: number;
  margins: Margins;
  /** The input with its ring of zeros, `paddedRows × paddedCols`, row-major. */
  padded: Float64Array;
  paddedRows: number;
  paddedCols: number;
  /** The kernel as it slides: turned 180°, as convolution turns it. */
  kernel: Float64Array;
  kernelRows: number;
  kernelCols: number;
  stride: number;
  outRows: number;
  outCols: number;
  /** Output values in all, the number of steps. */
  steps: number;
}

/** One step: the output cell it makes, where the window sits, and the numbers. */
export interface WindowStep {
  row: number;
  col: number;
  /** The window's top-left corner in padded coordinates. */
  top: number;
  left: number;
  /** The values under the kernel, row-major, padding zeros included. */
  values: number[];
  /** values × kernel, element by element. */
  products: number[];
  /** The sum after each product in turn; the last is the output value. */
  running: number[];
  sum: number;
}

/**
 * The margins each mode pads with. At stride 1 they are scipy's for convolve2d ('same' keeps
 * the centre of the 'full' result); at larger strides 'same' is a Conv2D layer's, which puts
 * the odd zero at the bottom and right, and 'full' is not defined.
 */
function marginsOf(
  mode: SlideMode,
  n: number,
  k: number,
  stride: number,
): { before: number; after: number } {
  if (mode === 'valid') return { before: 0, after: 0 };
  if (mode === 'full') {
    if (stride !== 1) throw new Error("'full' padding slides with stride 1 only");
    return { before: k - 1, after: k - 1 };
  }
  if (stride === 1) {
    const before = Math.ceil((k - 1) / 2);
    return { before, after: k - 1 - before };
  }
  const out = Math.ceil(n / stride);
  const total = Math.max((out - 1) * stride + k - n, 0);
  return { before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
}

/** The animation's plan for `image` convolved with `kernel` (both 2-D). */
export function slidingWindow(
  image: SlideMatrix,
  kernel: SlideMatrix,
  options: { mode: SlideMode; stride?: number },
): SlidingWindow {
  const [rows, cols] = image.shape;
  const [kernelRows, kernelCols] = kernel.shape;
  const stride = options.stride ?? 1;
  if (!(Number.isInteger(stride) && stride >= 1)) {
    throw new Error(`stride is ${stride}; expected a whole number from 1`);
  }
  const vertical = marginsOf(options.mode, rows, kernelRows, stride);
  const horizontal = marginsOf(options.mode, cols, kernelCols, stride);
  const margins = {
    top: vertical.before,
    bottom: vertical.after,
    left: horizontal.before,
    right: horizontal.after,
  };
  const paddedRows = rows + margins.top + margins.bottom;
  const paddedCols = cols + margins.left + margins.right;
  if (paddedRows < kernelRows || paddedCols < kernelCols) {
    throw new Error(
      `a ${kernelRows}×${kernelCols} kernel does not fit a ${rows}×${cols} input with '${options.mode}' padding`,
    );
  }
  const padded = new Float64Array(paddedRows * paddedCols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      padded[(r + margins.top) * paddedCols + c + margins.left] = image.data[r * cols + c] ?? 0;
    }
  }
  const size = kernelRows * kernelCols;
  const turned = new Float64Array(size);
  for (let i = 0; i < size; i++) turned[i] = kernel.data[size - 1 - i] ?? 0;
  const outRows = Math.floor((paddedRows - kernelRows) / stride) + 1;
  const outCols = Math.floor((paddedCols - kernelCols) / stride) + 1;
  return {
    rows,
    cols,
    margins,
    padded,
    paddedRows,
    paddedCols,
    kernel: turned,
    kernelRows,
    kernelCols,
    stride,
    outRows,
    outCols,
    steps: outRows * outCols,
  };
}

/** Step `index` (0 to steps − 1, row by row) of the plan. */
export function windowStep(plan: SlidingWindow, index: number): WindowStep {
  if (!(Number.isInteger(index) && index >= 0 && index < plan.steps)) {
    throw new Error(`step ${index} is outside 0–${plan.steps - 1}`);
  }
  const row = Math.floor(index / plan.outCols);
  const col = index % plan.outCols;
  const top = row * plan.stride;
  const left = col * plan.stride;
  const values: number[] = [];
  const products: number[] = [];
  const running: number[] = [];
  let sum = 0;
  for (let y = 0; y < plan.kernelRows; y++) {
    for (let x = 0; x < plan.kernelCols; x++) {
      const value = plan.padded[(top + y) * plan.paddedCols + left + x] ?? 0;
      const product = value * (plan.kernel[y * plan.kernelCols + x] ?? 0);
      sum += product;
      values.push(value);
      products.push(product);
      running.push(sum);
    }
  }
  return { row, col, top, left, values, products, running, sum };
}

/** Every output value, as the steps make them: the whole result, row-major. */
export function slideAll(plan: SlidingWindow): Float64Array {
  const out = new Float64Array(plan.steps);
  for (let i = 0; i < plan.steps; i++) out[i] = windowStep(plan, i).sum;
  return out;
}
