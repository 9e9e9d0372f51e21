import type { VegaLiteSpec } from '../charts.js';
import { VizError } from '../errors.js';
import { writeFileAtomic } from './write-file.js';

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
 * A Vega-Lite spec rendered to an SVG string in Node: compiled to Vega, then drawn by a headless
 * view (renderer 'none', no canvas). vega and vega-lite ship ESM only, so they are imported
 * lazily: the CommonJS build loads without them.
 */
export async function toSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vegaLite] = await loadVega();
  let compiled: unknown;
  try {
    compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
  } catch (cause) {
    throw new VizError(`spec: not a valid Vega-Lite specification (${String(cause)})`, {
      source: 'spec',
      cause,
    });
  }
  const view = new vega.View(vega.parse(compiled as Parameters<typeof vega.parse>[0]), {
    renderer: 'none',
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** toSvg written atomically to `path`; a VizError naming the path when it cannot be. */
export async function writeSvg(spec: VegaLiteSpec, path: string): Promise<void> {
  await writeFileAtomic(path, await toSvg(spec));
}
