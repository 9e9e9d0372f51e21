// @cnnlab/viz/charts: the Vega-Lite chart specs, and their rendering to SVG in Node. Rendering
// needs vega and vega-lite, optional peers that only this entry loads: the rest of viz installs
// and imports without them.
export * from './charts.js';
export { toSvg, writeSvg } from './node/svg.js';
