/** Figures from @cnnlab/viz on the page: SVG strings into containers, Vega-Lite specs as SVG. */
import { type Figure, figureSvg, type VegaLiteSpec } from '@cnnlab/viz';
import { toSvg } from '@cnnlab/viz/charts/browser';

/** Puts one figure (or several side by side) into `container` as inline SVG. */
export function showFigure(container: HTMLElement, figures: Figure | readonly Figure[]): void {
  container.innerHTML = figureSvg(figures);
}

/**
 * A Vega-Lite spec drawn once to SVG by viz's toSvg (Vega and Vega-Lite load with the first
 * chart, not with the page) into `container`.
 */
export async function showSpec(container: HTMLElement, spec: VegaLiteSpec): Promise<void> {
  container.innerHTML = await toSvg(spec);
}
