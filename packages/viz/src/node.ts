// Public surface of @cnnlab/viz in Node: everything of index.ts, plus PNG and SVG output.
export * from './index.js';
export { decodePng, encodePng, writePng } from './node/png.js';
export { toSvg, writeSvg } from './node/svg.js';
export { type TitledSvgOptions, titledSvg, writeTitledSvg } from './node/titled-svg.js';
