import { type Convolve2dOptions, convolve2d, type FilterOutput } from './convolve2d.js';
import { type FilterName, type FilterOptions, namedKernel } from './filters.js';
import { type Matrix, type MatrixInput, toGrid } from './matrix.js';
import type { Mode } from './options.js';

/** A filter to apply: a built-in name, or a name with its size and sigma. */
export type FilterSpec = FilterName | ({ name: FilterName; mode?: Mode } & FilterOptions);

/** One filtered result, with the kernel and mode that made it. */
export interface FilterResult {
  name: FilterName;
  kernel: Matrix<Float64Array>;
  mode: Mode;
  output: FilterOutput;
}

/**
 * Convolves the image with each named kernel (scipy's convolve2d; mode 'same' unless a spec or
 * the options say otherwise) and returns the results in order.
 */
export function applyFilters(
  image: MatrixInput,
  filters: readonly FilterSpec[],
  options: Convolve2dOptions = {},
): FilterResult[] {
  return filters.map((spec) => {
    const { name, mode, ...sizes } = typeof spec === 'string' ? { name: spec } : spec;
    const kernel = namedKernel(name, sizes as FilterOptions);
    const chosen = mode ?? options.mode ?? 'same';
    return {
      name,
      kernel,
      mode: chosen,
      output: convolve2d(image, kernel, { ...options, mode: chosen }),
    };
  });
}

/** One panel of the workshop's 2×2 filter figure. */
export interface FigurePanel {
  title: string;
  /** The filter applied, absent for the original. */
  filter?: FilterName;
  mode?: Mode;
  image: FilterOutput;
}

/**
 * The workshop's 2×2 figure: the original, smoothed (3×3 ones, mode 'full' as the workshop calls
 * it), horizontal edges and all edges (mode 'same').
 */
export function workshopFilterFigure(image: MatrixInput): FigurePanel[] {
  const grid = toGrid(image, 'image');
  const original = { data: Float64Array.from(grid.data), shape: [grid.rows, grid.cols] };
  const [smoothed, horizontal, all] = applyFilters(image, [
    { name: 'smoothing', mode: 'full' },
    'horizontal-edge',
    'edge-detector',
  ]);
  return [
    { title: 'Original', image: original },
    { title: 'Smoothed', filter: smoothed.name, mode: smoothed.mode, image: smoothed.output },
    {
      title: 'Horizontal Edges',
      filter: horizontal.name,
      mode: horizontal.mode,
      image: horizontal.output,
    },
    { title: 'All Edges', filter: all.name, mode: all.mode, image: all.output },
  ];
}
