import { type ColormapName, colormap } from './colormap.js';
import { VizError } from './errors.js';
import { drawDigits, textWidth } from './font.js';
import { asImage, type ImageInput, type RgbaImage, toByte } from './image.js';
import { type ImageGridOptions, imageGrid } from './image-grid.js';

type FigureOptions = Pick<ImageGridOptions, 'scale' | 'colormap' | 'range' | 'gap'>;

/** The workshop's "original beside translated" figure: two images in a row, 4 px apart. */
export function originalAndTranslated(
  original: ImageInput,
  translated: ImageInput,
  options: FigureOptions = {},
): RgbaImage {
  return imageGrid([original, translated], { gap: 4, ...options, perRow: 2 });
}

/** A batch of augmented samples (`[n, h, w(, c)]` or a list), up to 8 a row, 2 px apart. */
export function augmentedBatch(
  batch: ImageInput | readonly ImageInput[],
  options: FigureOptions & { perRow?: number } = {},
): RgbaImage {
  const count = Array.isArray(batch) ? batch.length : ((batch as ImageInput).shape[0] ?? 1);
  return imageGrid(batch, { gap: 2, perRow: Math.max(1, Math.min(count, 8)), ...options });
}

/**
 * The 2×2 filter figure (original, smoothed, horizontal edges, all edges). Each panel is
 * stretched to its own min–max, as imshow shows a filter's output with its negative values.
 * Panels may differ in size (the workshop's 'full' smoothing is 30×30 beside 28×28 panels):
 * smaller ones are centred in cells as large as the largest, rather than cropped by the caller.
 */
export function filterFigure(
  panels: readonly [ImageInput, ImageInput, ImageInput, ImageInput],
  options: FigureOptions = {},
): RgbaImage {
  if (panels.length !== 4) {
    throw new VizError(`panels: expected 4 images, got ${panels.length}`, { source: 'panels' });
  }
  return imageGrid(panels, { gap: 4, range: 'minmax', colormap: 'gray', ...options, perRow: 2 });
}

/**
 * The first conv layer's filters from its kernel weights `[kh, kw, inChannels, filters]`: one
 * cell per filter (input channel `inputChannel`), each stretched to its own min–max.
 */
export function convFilters(
  kernel: ImageInput,
  options: FigureOptions & { perRow?: number; inputChannel?: number } = {},
): RgbaImage {
  const { data, shape } = asImage(kernel, 'kernel');
  if (shape.length !== 4 || shape[3] === 0) {
    throw new VizError(
      `kernel: expected weights [kh, kw, inChannels, filters], got [${shape.join(', ')}]`,
      { source: 'kernel' },
    );
  }
  const [kh, kw, cin, count] = shape;
  const channel = options.inputChannel ?? 0;
  if (!Number.isInteger(channel) || channel < 0 || channel >= cin) {
    throw new VizError(`inputChannel: expected 0 to ${cin - 1}, got ${channel}`, {
      source: 'inputChannel',
    });
  }
  const filters = Array.from({ length: count }, (_, f) => {
    const values = new Float64Array(kh * kw);
    for (let i = 0; i < kh * kw; i++) values[i] = data[(i * cin + channel) * count + f];
    return { data: values, shape: [kh, kw] };
  });
  return imageGrid(filters, {
    perRow: Math.min(count, 8),
    scale: 8,
    gap: 1,
    range: 'minmax',
    colormap: 'gray',
    ...options,
  });
}

export interface ConfusionHeatmapOptions {
  /** Side of one cell in pixels. */
  cellSize?: number;
  colormap?: ColormapName | string;
  /** Draw each count in its cell with a 3×5 pixel digit font, where it fits. */
  counts?: boolean;
}

/**
 * A confusion matrix (rows: true class, columns: predicted) as a heatmap, colour by count over
 * the largest count, with the counts drawn in (white on dark cells, black on light ones).
 */
export function confusionHeatmap(
  matrix: readonly (readonly number[])[],
  options: ConfusionHeatmapOptions = {},
): RgbaImage {
  const n = matrix.length;
  if (n === 0 || matrix.some((row) => row.length !== n)) {
    throw new VizError('matrix: expected a square, non-empty matrix of counts', {
      source: 'matrix',
    });
  }
  const table = colormap(options.colormap ?? 'viridis');
  const cell = options.cellSize ?? 24;
  if (!Number.isInteger(cell) || cell < 1) {
    throw new VizError(`cellSize: expected a positive integer, got ${cell}`, {
      source: 'cellSize',
    });
  }
  const max = Math.max(...matrix.flat());
  const side = n * cell;
  const out = new Uint8ClampedArray(side * side * 4);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const t = toByte(max > 0 ? (matrix[r][c] / max) * 255 : 0) * 4;
      const color = table.subarray(t, t + 4);
      for (let y = 0; y < cell; y++) {
        for (let x = 0; x < cell; x++) out.set(color, ((r * cell + y) * side + c * cell + x) * 4);
      }
      if (options.counts === false) continue;
      const text = String(Math.round(matrix[r][c]));
      const size = Math.min(
        Math.floor((cell - 2) / textWidth(text, 1)),
        Math.floor((cell - 2) / 5),
      );
      if (size < 1) continue;
      const luminance = 0.299 * color[0] + 0.587 * color[1] + 0.114 * color[2];
      const ink = luminance < 128 ? [255, 255, 255, 255] : [0, 0, 0, 255];
      const x = c * cell + Math.floor((cell - textWidth(text, size)) / 2);
      const y = r * cell + Math.floor((cell - 5 * size) / 2);
      drawDigits(out, side, text, x, y, size, ink);
    }
  }
  return { data: out, shape: [side, side, 4] };
}
