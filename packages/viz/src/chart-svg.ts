import type { VegaLiteSpec } from './charts.js';
import { VizError } from './errors.js';

/** vega and vega-lite, or a VizError saying how to install them (they are optional peers). */
async function loadVega(): Promise<[typeof import('vega'), typeof import('vega-lite')]> {
  try {
    return await Promise.all([import('vega'), import('vega-lite')]);
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw cause;
    throw new VizError(
      'toSvg: rendering a chart needs vega and vega-lite, optional peers of @cnnlab/viz: npm install vega vega-lite',
      { source: 'vega', cause },
    );
  }
}

/**
 * A Vega-Lite spec rendered to an SVG string, in Node or on a page: compiled to Vega, then drawn
 * by a headless view (renderer 'none', no canvas, no DOM) that is finalised at once. No Node
 * built-ins; vega and vega-lite (ESM only) are imported lazily, so the CommonJS build loads
 * without them and a page's bundler puts them in a chunk of their own, loaded with the first chart.
 */
export async function toSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vegaLite] = await loadVega();
  let compiled: ReturnType<typeof vegaLite.compile>['spec'];
  try {
    // VegaLiteSpec is plain JSON, so that vega-lite's types (an optional peer) stay out of viz's
    // public types; vega-lite checks the spec as it compiles it.
    compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
  } catch (cause) {
    throw new VizError(`spec: not a valid Vega-Lite specification (${String(cause)})`, {
      source: 'spec',
      cause,
    });
  }
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
