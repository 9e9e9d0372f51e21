// Public surface of @cnnlab/viz: browser-safe (no Node built-ins). The Node build (node.ts) adds
// PNG encoding, SVG rendering and file writing.
export {
  type ActivationFigureOptions,
  type ActivationGridData,
  type ActivationGridOptions,
  activationFigure,
  activationGrid,
  activationGridData,
} from './activation-grid.js';
export {
  type BatchLog,
  type ConfusionMatrixOptions,
  confusionMatrixChart,
  type History,
  perClassAccuracy,
  type TrainingCurvesOptions,
  trainingCurves,
  type VegaLiteSpec,
} from './charts.js';
export {
  applyColormap,
  COLORMAP_NAMES,
  type ColormapName,
  colormap,
} from './colormap.js';
export { VizError } from './errors.js';
export {
  type Colorbar,
  escapeXml,
  type Figure,
  type FigurePanel,
  type FigureSvgOptions,
  figure,
  figureImage,
  figureSvg,
  formatTick,
  type ImageHref,
  scaleFor,
  upscale,
} from './figure.js';
export {
  augmentedBatch,
  type ConfusionHeatmapOptions,
  confusionHeatmap,
  convFilters,
  DIGIT_SIDE,
  filterFigure,
  imageFigure,
  kernelFigure,
  originalAndTranslated,
  type TitledImage,
} from './figures.js';
export {
  type Image,
  type ImageInput,
  type RgbaImage,
  type TensorLike,
  type TypedArray,
  toRgba,
  type ValueRange,
} from './image.js';
export { type ImageDataLike, toImageData } from './image-data.js';
export {
  type ImageGridOptions,
  imageGrid,
  RIGHT_COLOR,
  WRONG_COLOR,
} from './image-grid.js';
export { type TerminalPreviewOptions, terminalPreview } from './terminal.js';
export {
  type TransferChartNetwork,
  type TransferChartOptions,
  type TransferChartRun,
  transferChart,
} from './transfer-chart.js';
