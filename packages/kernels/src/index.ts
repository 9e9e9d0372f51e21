// Public surface of @cnnlab/kernels: pure functions on typed arrays, no tfjs and no Node built-ins.
export {
  applyFilters,
  type FigurePanel,
  type FilterResult,
  type FilterSpec,
  workshopFilterFigure,
} from './apply-filters.js';
export { BOUNDARIES, type Boundary, boundaryIndex } from './boundary.js';
export { type Conv2dOptions, conv2d } from './conv2d.js';
export {
  type Convolve2dOptions,
  convolve2d,
  correlate2d,
  type FilterOutput,
} from './convolve2d.js';
export type { Method } from './correlate-core.js';
export { KernelError } from './errors.js';
export {
  boxKernel,
  FILTER_NAMES,
  FILTERS,
  type FilterName,
  type FilterOptions,
  gaussian1d,
  gaussianKernel,
  namedKernel,
} from './filters.js';
export {
  type ConvShapeOptions,
  conv2dParams,
  convOutputLength,
  convOutputShape,
  denseParams,
  type LayerPadding,
  type LayerShape,
  type PoolShapeOptions,
  poolOutputShape,
} from './layer-arithmetic.js';
export type { Matrix, MatrixInput, NumericArray, OutputDtype } from './matrix.js';
export type { Mode } from './options.js';
export { separate } from './separable.js';
