import { type ColormapName, colormap } from './colormap.js';
import { VizError } from './errors.js';
import type { RgbaImage } from './image.js';

/** What a colour stands for: a vertical bar beside a panel (or the figure), ticked low to high. */
export interface Colorbar {
  colormap: ColormapName | string;
  /** The value drawn with the colormap's first colour. */
  low: number;
  /** The value drawn with its last colour. */
  high: number;
  /** What the values are, written along the bar. */
  label?: string;
}

/** One picture of a figure, as matplotlib's subplot: an image under its title. */
export interface FigurePanel {
  title?: string;
  /** Already at display size (see upscale): the SVG draws it pixel for pixel. */
  image: RgbaImage;
  colorbar?: Colorbar;
  /** A frame around the image in a CSS colour: green for a right prediction, red for a wrong one. */
  frame?: string;
  /** Text over a grid of cells (a kernel's values, say): `rows × cols` strings, row by row. */
  cellText?: { rows: number; cols: number; text: readonly string[] };
}

/** Titled panels in a grid: what a workshop figure is, drawn to SVG (figureSvg) or pixels (figureImage). */
export interface Figure {
  title?: string;
  /** A line or two under the panels. */
  caption?: string;
  panels: readonly FigurePanel[];
  /** Panels per row. */
  columns: number;
  /** Pixels between panels; 12 by default, small for mosaics of many untitled panels. */
  gap?: number;
  /** One colour bar for every panel, right of the grid. */
  colorbar?: Colorbar;
  /**
   * A thin grey line around each panel, as matplotlib's axes frame an image: without it a digit
   * drawn dark on white has no edge. On by default; off for mosaics of maps.
   */
  outline?: boolean;
}

/** Nearest-neighbour upscaling by a whole number: every pixel becomes a factor × factor block. */
export function upscale(image: RgbaImage, factor: number): RgbaImage {
  if (!Number.isInteger(factor) || factor < 1) {
    throw new VizError(`scale: expected a positive integer, got ${factor}`, { source: 'scale' });
  }
  if (factor === 1) return image;
  const [h, w] = image.shape;
  const W = w * factor;
  const out = new Uint8ClampedArray(h * factor * W * 4);
  for (let y = 0; y < h; y++) {
    const row = new Uint8ClampedArray(W * 4);
    for (let x = 0; x < w; x++) {
      const pixel = image.data.subarray((y * w + x) * 4, (y * w + x) * 4 + 4);
      for (let k = 0; k < factor; k++) row.set(pixel, (x * factor + k) * 4);
    }
    for (let k = 0; k < factor; k++) out.set(row, (y * factor + k) * W * 4);
  }
  return { data: out, shape: [h * factor, W, 4] };
}

/** The whole-number factor that brings `side` pixels to at least `atLeast` (1 if already there). */
export function scaleFor(side: number, atLeast: number): number {
  return side > 0 ? Math.max(1, Math.ceil(atLeast / side)) : 1;
}

/** A figure checked: panels present, columns a positive integer. */
export function figure(
  panels: readonly FigurePanel[],
  options: Omit<Figure, 'panels' | 'columns'> & { columns?: number } = {},
): Figure {
  if (panels.length === 0) throw new VizError('panels: the list is empty', { source: 'panels' });
  const columns = options.columns ?? Math.min(panels.length, 4);
  if (!Number.isInteger(columns) || columns < 1) {
    throw new VizError(`columns: expected a positive integer, got ${columns}`, {
      source: 'columns',
    });
  }
  return { ...options, panels, columns };
}

/** The figure's panels tiled on white, without text: the figure as one PNG-ready image. */
export function figureImage(fig: Figure): RgbaImage {
  const gap = fig.gap ?? 12;
  const { cellH, cellW } = cellSize(fig, false);
  const rows = Math.ceil(fig.panels.length / fig.columns);
  const height = rows * cellH + (rows - 1) * gap;
  const width = fig.columns * cellW + (fig.columns - 1) * gap;
  const out = new Uint8ClampedArray(height * width * 4).fill(255);
  for (const [n, panel] of fig.panels.entries()) {
    const [h, w] = panel.image.shape;
    const top = Math.floor(n / fig.columns) * (cellH + gap) + Math.floor((cellH - h) / 2);
    const left = (n % fig.columns) * (cellW + gap) + Math.floor((cellW - w) / 2);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const s = (y * w + x) * 4;
        const a = panel.image.data[s + 3] / 255;
        const o = ((top + y) * width + left + x) * 4;
        // Transparent pixels (unused cells, padding) show the white paper.
        for (let c = 0; c < 3; c++) out[o + c] = panel.image.data[s + c] * a + 255 * (1 - a);
      }
    }
    if (panel.frame) {
      // The right/wrong mark survives in the PNG: 3 px around the image, as the SVG's stroke.
      const color = cssRgb(panel.frame);
      for (let y = top - 3; y < top + h + 3; y++) {
        for (let x = left - 3; x < left + w + 3; x++) {
          if (y >= top && y < top + h && x >= left && x < left + w) continue;
          if (y < 0 || x < 0 || y >= height || x >= width) continue;
          out.set(color, (y * width + x) * 4);
        }
      }
    }
  }
  return { data: out, shape: [height, width, 4] };
}

/** `rgb(r, g, b)` or `#rrggbb` as RGBA bytes; any other CSS colour as mid grey. */
function cssRgb(css: string): [number, number, number, number] {
  const rgb = /^rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(css);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), 255];
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  if (hex)
    return [
      parseInt(hex[1] ?? '0', 16),
      parseInt(hex[2] ?? '0', 16),
      parseInt(hex[3] ?? '0', 16),
      255,
    ];
  return [128, 128, 128, 255];
}

// Layout, in CSS pixels. Text widths are estimated (no font metrics without a renderer): 0.6 em a
// character is generous for sans-serif, so titles never overlap their neighbours.
const FONT = 'system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif';
const TITLE_SIZE = 14;
const FIGURE_TITLE_SIZE = 16;
const CAPTION_SIZE = 13;
const PAD = 12;
const BAR_WIDTH = 12;
const BAR_GAP = 8;
const textWidth = (text: string, size: number) => Math.ceil(text.length * size * 0.6);

const ENTITIES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  "'": '&apos;',
  '"': '&quot;',
};

/** Text made safe for SVG and HTML: element content and attribute values alike. */
export const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (ch) => ENTITIES[ch] ?? ch);

/** A tick label: three significant digits, no trailing zeros, a true minus sign. */
export function formatTick(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const text =
    abs !== 0 && (abs >= 1e4 || abs < 1e-3)
      ? value.toExponential(1)
      : String(Number(value.toPrecision(3)));
  return text.replace(/-/g, '−');
}

function colorbarWidth(bar: Colorbar | undefined): number {
  if (!bar) return 0;
  const ticks = [bar.low, (bar.low + bar.high) / 2, bar.high].map(formatTick);
  const labels = Math.max(...ticks.map((t) => textWidth(t, 11)));
  return BAR_GAP + BAR_WIDTH + 4 + labels + (bar.label ? 16 : 0);
}

function cellSize(fig: Figure, withText: boolean): { cellH: number; cellW: number } {
  let cellH = 0;
  let cellW = 0;
  const titled = withText && fig.panels.some((p) => p.title);
  for (const panel of fig.panels) {
    const [h, w] = panel.image.shape;
    const frame = panel.frame ? 6 : 0;
    cellH = Math.max(cellH, h + frame);
    const bar = withText ? colorbarWidth(panel.colorbar) : 0;
    const title = withText && panel.title ? textWidth(panel.title, TITLE_SIZE) : 0;
    cellW = Math.max(cellW, w + frame + bar, title);
  }
  return { cellH: cellH + (titled ? TITLE_SIZE + 10 : 0), cellW };
}

/** Splits a caption into lines of at most `width` pixels (estimated). */
function wrap(text: string, width: number, size: number): string[] {
  const max = Math.max(10, Math.floor(width / (size * 0.55)));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function colorbarSvg(bar: Colorbar, x: number, y: number, height: number, id: string): string {
  const table = colormap(bar.colormap);
  const stops = Array.from({ length: 11 }, (_, i) => {
    const t = Math.round((i / 10) * 255) * 4;
    // The gradient runs bottom (low) to top (high), as matplotlib's colorbar.
    return `<stop offset="${i * 10}%" stop-color="rgb(${table[t]},${table[t + 1]},${table[t + 2]})"/>`;
  }).join('');
  const ticks = [bar.high, (bar.low + bar.high) / 2, bar.low]
    .map((value, i) => {
      const ty = y + (i * height) / 2;
      return `<line x1="${x + BAR_WIDTH}" y1="${ty}" x2="${x + BAR_WIDTH + 3}" y2="${ty}" stroke="#333"/><text x="${x + BAR_WIDTH + 5}" y="${ty + 4}" font-size="11" class="tick">${escapeXml(formatTick(value))}</text>`;
    })
    .join('');
  const labelX = x + colorbarWidth(bar) - BAR_GAP - 2;
  const label = bar.label
    ? `<text transform="translate(${labelX} ${y + height / 2}) rotate(-90)" text-anchor="middle" font-size="11" class="colorbar-label">${escapeXml(bar.label)}</text>`
    : '';
  return [
    `<g class="colorbar" data-low="${bar.low}" data-high="${bar.high}">`,
    `<defs><linearGradient id="${id}" x1="0" y1="1" x2="0" y2="0">${stops}</linearGradient></defs>`,
    `<rect x="${x}" y="${y}" width="${BAR_WIDTH}" height="${height}" fill="url(#${id})" stroke="#333" stroke-width="0.5"/>`,
    ticks,
    label,
    '</g>',
  ].join('');
}

/** How a panel's pixels become an `href`: a `data:image/png;base64,…` URI, as a rule. */
export type ImageHref = (image: RgbaImage) => string;

/**
 * A canvas's PNG encoder as the default on a page; Node's build passes its own (encodePng).
 * Anywhere else, the caller gives one.
 */
function defaultHref(): ImageHref {
  const doc = (globalThis as { document?: { createElement(tag: 'canvas'): HTMLCanvasElement } })
    .document;
  if (!doc) {
    throw new VizError(
      'imageHref: no canvas here to encode the panels; pass imageHref, or use figureToSvg from the Node build',
      { source: 'imageHref' },
    );
  }
  return (image) => {
    const [h, w] = image.shape;
    const canvas = doc.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const context = canvas.getContext('2d');
    if (!context)
      throw new VizError('imageHref: the canvas has no 2d context', { source: 'canvas' });
    context.putImageData(new ImageData(new Uint8ClampedArray(image.data), w, h), 0, 0);
    return canvas.toDataURL('image/png');
  };
}

let ids = 0;

/** One figure's SVG elements at the origin, with its size. */
function figureBody(fig: Figure, href: ImageHref): { body: string; width: number; height: number } {
  const gap = fig.gap ?? 12;
  const { cellH, cellW } = cellSize(fig, true);
  const titled = fig.panels.some((p) => p.title);
  const rows = Math.ceil(fig.panels.length / fig.columns);
  const gridW = fig.columns * cellW + (fig.columns - 1) * gap;
  const gridH = rows * cellH + (rows - 1) * gap;
  const figBar = colorbarWidth(fig.colorbar);
  const head = fig.title ? FIGURE_TITLE_SIZE + 14 : 0;
  let width =
    PAD * 2 + Math.max(gridW + figBar, fig.title ? textWidth(fig.title, FIGURE_TITLE_SIZE) : 0);
  const captionLines = fig.caption
    ? wrap(fig.caption, Math.max(width - 2 * PAD, 280), CAPTION_SIZE)
    : [];
  if (captionLines.length > 0) width = Math.max(width, 280 + 2 * PAD);
  const foot = captionLines.length > 0 ? 8 + captionLines.length * (CAPTION_SIZE + 5) : 0;
  const height = PAD * 2 + head + gridH + foot;
  const parts: string[] = [];
  if (fig.title) {
    parts.push(
      `<text x="${width / 2}" y="${PAD + FIGURE_TITLE_SIZE}" text-anchor="middle" font-size="${FIGURE_TITLE_SIZE}" font-weight="600" class="figure-title">${escapeXml(fig.title)}</text>`,
    );
  }
  const left0 = PAD + Math.floor((width - 2 * PAD - gridW - figBar) / 2);
  const top0 = PAD + head;
  const widestBar = Math.max(0, ...fig.panels.map((p) => colorbarWidth(p.colorbar)));
  for (const [n, panel] of fig.panels.entries()) {
    const [h, w] = panel.image.shape;
    const frame = panel.frame ? 3 : 0;
    // Every panel keeps room for the widest colour bar, so images of one column line up.
    const bar = widestBar;
    const cellLeft = left0 + (n % fig.columns) * (cellW + gap);
    const cellTop = top0 + Math.floor(n / fig.columns) * (cellH + gap);
    const x = cellLeft + Math.floor((cellW - w - 2 * frame - bar) / 2) + frame;
    const imageTop = cellTop + (titled ? TITLE_SIZE + 10 : 0);
    const y =
      imageTop + Math.floor((cellH - (titled ? TITLE_SIZE + 10 : 0) - h - 2 * frame) / 2) + frame;
    parts.push(`<g class="panel" data-index="${n}">`);
    if (panel.title) {
      // Centred over the image, but kept inside its cell when wider than image and colour bar.
      const half = textWidth(panel.title, TITLE_SIZE) / 2;
      const tx = Math.min(Math.max(x + w / 2, cellLeft + half), cellLeft + cellW - half);
      parts.push(
        `<text x="${tx}" y="${imageTop - 8}" text-anchor="middle" font-size="${TITLE_SIZE}" class="panel-title">${escapeXml(panel.title)}</text>`,
      );
    }
    if (!panel.frame && fig.outline !== false) {
      parts.push(
        `<rect x="${x - 0.5}" y="${y - 0.5}" width="${w + 1}" height="${h + 1}" fill="none" stroke="#999" stroke-width="1" class="outline"/>`,
      );
    }
    if (panel.frame) {
      parts.push(
        `<rect x="${x - frame / 2 - 1}" y="${y - frame / 2 - 1}" width="${w + frame + 2}" height="${h + frame + 2}" fill="none" stroke="${escapeXml(panel.frame)}" stroke-width="${frame}" class="frame"/>`,
      );
    }
    parts.push(
      `<image x="${x}" y="${y}" width="${w}" height="${h}" image-rendering="pixelated" style="image-rendering:pixelated" preserveAspectRatio="none" href="${href(panel.image)}"/>`,
    );
    if (panel.cellText) parts.push(cellTextSvg(panel, x, y));
    if (panel.colorbar) {
      parts.push(colorbarSvg(panel.colorbar, x + w + frame + BAR_GAP, y, h, `cb${++ids}`));
    }
    parts.push('</g>');
  }
  if (fig.colorbar) {
    parts.push(colorbarSvg(fig.colorbar, left0 + gridW + BAR_GAP, top0, gridH, `cb${++ids}`));
  }
  for (const [i, line] of captionLines.entries()) {
    parts.push(
      `<text x="${PAD}" y="${top0 + gridH + 8 + (i + 1) * (CAPTION_SIZE + 5) - 4}" font-size="${CAPTION_SIZE}" fill="#333" class="caption">${escapeXml(line)}</text>`,
    );
  }
  return { body: parts.join('\n'), width, height };
}

/** A kernel's values over its cells, white on dark and black on light, as matplotlib annotates. */
function cellTextSvg(panel: FigurePanel, x: number, y: number): string {
  const cells = panel.cellText;
  if (!cells) return '';
  const [h, w] = panel.image.shape;
  const ch = h / cells.rows;
  const cw = w / cells.cols;
  const size = Math.max(8, Math.min(14, Math.floor(ch / 2.5)));
  const out: string[] = [];
  for (let r = 0; r < cells.rows; r++) {
    for (let c = 0; c < cells.cols; c++) {
      const text = cells.text[r * cells.cols + c];
      if (text === undefined) continue;
      const px = (Math.floor((r + 0.5) * ch) * w + Math.floor((c + 0.5) * cw)) * 4;
      const d = panel.image.data;
      const light = 0.299 * d[px] + 0.587 * d[px + 1] + 0.114 * d[px + 2] >= 128;
      out.push(
        `<text x="${x + (c + 0.5) * cw}" y="${y + (r + 0.5) * ch + size / 3}" text-anchor="middle" font-size="${size}" fill="${light ? '#000' : '#fff'}" class="cell-text">${escapeXml(text)}</text>`,
      );
    }
  }
  return out.join('');
}

export interface FigureSvgOptions {
  /** Encodes a panel's pixels for its `<image href>`; a canvas's PNG on a page by default. */
  imageHref?: ImageHref;
}

/**
 * A figure (or several side by side, as matplotlib's subfigures) as a standalone SVG document:
 * titles, captions and colour-bar ticks as SVG text, each panel's pixels as an embedded image,
 * on white paper. Nothing refers to a file beside it.
 */
export function figureSvg(
  figures: Figure | readonly Figure[],
  options: FigureSvgOptions = {},
): string {
  const list = Array.isArray(figures) ? (figures as readonly Figure[]) : [figures as Figure];
  if (list.length === 0) throw new VizError('figures: the list is empty', { source: 'figures' });
  const href = options.imageHref ?? defaultHref();
  const bodies = list.map((f) => figureBody(f, href));
  const width = bodies.reduce((sum, b) => sum + b.width, 0);
  const height = Math.max(...bodies.map((b) => b.height));
  let x = 0;
  const groups = bodies.map((b) => {
    const g = `<g class="figure" transform="translate(${x} 0)">\n${b.body}\n</g>`;
    x += b.width;
    return g;
  });
  const label = list
    .map((f) => f.title)
    .filter(Boolean)
    .join('; ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family='${FONT}' role="img"${label ? ` aria-label="${escapeXml(label)}"` : ''}>`,
    label ? `<title>${escapeXml(label)}</title>` : '',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...groups,
    '</svg>',
  ].join('\n');
}
