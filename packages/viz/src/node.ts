// Public surface of @cnnlab/viz in Node: everything of index.ts, plus PNG and figure output.
// Rendering Vega-Lite charts to SVG (toSvg, writeSvg) is in @cnnlab/viz/charts (toSvg alone, for a
// page, in @cnnlab/viz/charts/browser).
export * from './index.js';
export { checkPng, pngDataBytes } from './node/check-png.js';
export { figureToSvg, pngDataUri, writeFigure } from './node/figure-file.js';
export { type DecodePngOptions, decodePng, encodePng, writePng } from './node/png.js';
export {
  checkPngLimits,
  PNG_HEADER_BYTES,
  PNG_LIMITS,
  type PngHeader,
  type PngLimits,
  readPngHeader,
} from './node/png-header.js';
export { readPng } from './node/read-png.js';
export { type TitledSvgOptions, titledSvg, writeTitledSvg } from './node/titled-svg.js';
