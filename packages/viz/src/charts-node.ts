// @cnnlab/viz/charts: the Vega-Lite chart specs, and their rendering to SVG (toSvg) and to files
// (writeSvg, Node). Rendering needs vega and vega-lite, optional peers that only this entry and
// @cnnlab/viz/charts/browser load: the rest of viz installs and imports without them.
export * from './charts-browser.js';
export { writeSvg } from './node/svg.js';
