// Reads a @cnnlab/viz figure back out of the page: titles, colour bars, kernel values and the
// panels' pixels (decoded from their PNGs), so that tests check what the figure really shows.
import type { Page } from 'playwright-core';

export interface PanelRead {
  title: string | null;
  x: number;
  y: number;
  width: number;
  height: number;
  /** data-low / data-high of the panel's colour bar, if it has one. */
  low: number | null;
  high: number | null;
  cellText: string[];
  /** The red channel sampled every `sample` pixels from sample / 2: one value per source pixel. */
  grey: number[];
  href: string;
}

export interface FigureRead {
  title: string | null;
  caption: string[];
  /** The figure-wide colour bar (kernel and activation figures). */
  low: number | null;
  high: number | null;
  panels: PanelRead[];
}

/** Every figure (`g.figure`) in the SVG inside `selector`, with its panels. */
export function readFigures(page: Page, selector: string, sample = 1): Promise<FigureRead[]> {
  return page.evaluate(
    async ({ selector, sample }) => {
      const root = document.querySelector(selector);
      if (!root) throw new Error(`e2e: ${selector} is missing`);
      const decode = async (href: string, w: number, h: number) => {
        const img = new Image();
        img.src = href;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const context = canvas.getContext('2d');
        if (!context) return [];
        context.drawImage(img, 0, 0);
        const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
        const out: number[] = [];
        const half = Math.floor(sample / 2);
        for (let y = half; y < Math.min(h, canvas.height); y += sample)
          for (let x = half; x < Math.min(w, canvas.width); x += sample)
            out.push(data[(y * canvas.width + x) * 4]);
        return out;
      };
      const num = (value: string | null | undefined) => (value == null ? null : Number(value));
      return Promise.all(
        [...root.querySelectorAll('svg g.figure')].map(async (fig) => {
          const own = [...fig.children].find((el) => el.matches('g.colorbar'));
          return {
            title: fig.querySelector(':scope > text.figure-title')?.textContent ?? null,
            caption: [...fig.querySelectorAll(':scope > text.caption')].map(
              (t) => t.textContent ?? '',
            ),
            low: num(own?.getAttribute('data-low')),
            high: num(own?.getAttribute('data-high')),
            panels: await Promise.all(
              [...fig.querySelectorAll('g.panel')].map(async (panel) => {
                const image = panel.querySelector('image');
                const width = Number(image?.getAttribute('width'));
                const height = Number(image?.getAttribute('height'));
                const href = image?.getAttribute('href') ?? '';
                const bar = panel.querySelector('g.colorbar');
                return {
                  title: panel.querySelector('text.panel-title')?.textContent ?? null,
                  x: Number(image?.getAttribute('x')),
                  y: Number(image?.getAttribute('y')),
                  width,
                  height,
                  low: num(bar?.getAttribute('data-low')),
                  high: num(bar?.getAttribute('data-high')),
                  cellText: [...panel.querySelectorAll('text.cell-text')].map(
                    (t) => t.textContent ?? '',
                  ),
                  grey: await decode(href, width, height),
                  href,
                };
              }),
            ),
          };
        }),
      );
    },
    { selector, sample },
  );
}
