// Public surface of @cnnlab/viz in Node: everything of index.ts, plus PNG and SVG output.
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
export { toSvg, writeSvg } from './node/svg.js';
export { type TitledSvgOptions, titledSvg, writeTitledSvg } from './node/titled-svg.js';
