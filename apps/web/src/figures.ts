/** Figures from @cnnlab/viz on the page: SVG strings into containers, Vega-Lite specs as SVG. */
import { type Figure, figureSvg, type VegaLiteSpec } from '@cnnlab/viz';

/** Puts one figure (or several side by side) into `container` as inline SVG. */
export function showFigure(container: HTMLElement, figures: Figure | readonly Figure[]): void {
  container.innerHTML = figureSvg(figures);
}

/**
 * A Vega-Lite spec drawn once to SVG (Vega and Vega-Lite load with the first chart, not with the
 * page): the SVG goes into `container` and the view is finalised at once.
 */
export async function showSpec(container: HTMLElement, spec: VegaLiteSpec): Promise<void> {
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new View(parse(compile(spec as unknown as Parameters<typeof compile>[0]).spec), {
    renderer: 'none',
  });
  try {
    container.innerHTML = await view.toSVG();
  } finally {
    view.finalize();
  }
}
