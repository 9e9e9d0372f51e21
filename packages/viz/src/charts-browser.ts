// @cnnlab/viz/charts/browser: the Vega-Lite chart specs and their rendering to SVG, with no Node
// built-ins, for a page. Rendering needs vega and vega-lite, optional peers loaded with the first
// chart. @cnnlab/viz/charts adds writeSvg (Node).

export { toSvg } from './chart-svg.js';
export * from './charts.js';
export * from './transfer-chart.js';
