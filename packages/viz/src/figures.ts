import { type ColormapName, colormap } from './colormap.js';
import { VizError } from './errors.js';
import { type Figure, figure, formatTick, scaleFor, upscale } from './figure.js';
import { drawDigits, textWidth } from './font.js';
import {
  asImage,
  type ImageInput,
  type ImageLike,
  type RgbaImage,
  toByte,
  valueSpan,
} from './image.js';
import {
  type ImageGridOptions,
  RIGHT_COLOR,
  renderImage,
  splitImages,
  WRONG_COLOR,
} from './image-grid.js';

type PixelOptions = Pick<ImageGridOptions, 'colormap' | 'range'> & {
  /** Whole-number upscaling; by default the smallest that makes a panel's shorter side 140 px. */
  scale?: number;
};

/** A 28 px digit at least 140 px: big enough to see its pixels from the back of a classroom. */
export const DIGIT_SIDE = 140;

/** The factor that brings the smallest of these images to `side` pixels on its shorter side. */
function autoScale(images: readonly ImageLike[], side: number, scale: number | undefined): number {
  if (scale !== undefined) return scale;
  const shortest = Math.min(...images.map((img) => Math.min(img.shape[0], img.shape[1])));
  return scaleFor(shortest, side);
}

/** Each image rendered (colormap, range) and upscaled, ready to be a panel. */
function panelImages(images: readonly ImageLike[], options: PixelOptions, side = DIGIT_SIDE) {
  const factor = autoScale(images, side, options.scale);
  return images.map((img, i) => upscale(renderImage(img, options, `images[${i}]`), factor));
}

/** The workshop's "original beside translated" figure: two panels, titled. */
export function originalAndTranslated(
  original: ImageInput,
  translated: ImageInput,
  options: PixelOptions & { titles?: readonly [string, string]; title?: string } = {},
): Figure {
  const images = [asImage(original, 'original'), asImage(translated, 'translated')];
  const [a, b] = panelImages(images, options);
  const [ta, tb] = options.titles ?? ['Original', 'Translated'];
  return figure(
    [
      { title: ta, image: a as RgbaImage },
      { title: tb, image: b as RgbaImage },
    ],
    { columns: 2, ...(options.title ? { title: options.title } : {}) },
  );
}

/**
 * A batch of augmented samples (`[n, h, w(, c)]` or a list) in a square grid (3×3 for nine),
 * untitled panels close together under one title.
 */
export function augmentedBatch(
  batch: ImageInput | readonly ImageInput[],
  options: PixelOptions & { columns?: number; title?: string } = {},
): Figure {
  const images = splitImages(batch, 'batch');
  if (images.length === 0) throw new VizError('batch: holds no image', { source: 'batch' });
  const panels = panelImages(images, options).map((image) => ({ image }));
  return figure(panels, {
    columns: options.columns ?? Math.ceil(Math.sqrt(images.length)),
    gap: 6,
    title: options.title ?? 'Augmented samples',
  });
}

/** An image and what it stands for: a panel's title over it. */
export interface TitledImage {
  title: string;
  image: ImageInput;
}

/**
 * The workshop's 2×2 filter figure: Original, Smoothed, Horizontal Edges, All Edges (or any
 * other panels titled, in a row, such as an image beside one filter's output). Each panel
 * is stretched to its own min–max in grey, as imshow shows a filter's output with its negative
 * values, with a colour bar saying what black and white stand for. Panels may differ in size
 * (the 'full' smoothing is 30×30 beside 28×28): each sits centred in its cell.
 */
export function filterFigure(
  panels: readonly (ImageInput | TitledImage)[],
  options: PixelOptions & { title?: string } = {},
): Figure {
  if (panels.length === 0) throw new VizError('panels: the list is empty', { source: 'panels' });
  // Untitled panels are read as the workshop's four, in its order.
  const titles = ['Original', 'Smoothed', 'Horizontal Edges', 'All Edges'];
  const entries = panels.map((p, i) =>
    'title' in p && 'image' in p
      ? { title: p.title, image: asImage(p.image, `panels[${i}]`) }
      : {
          title: titles[i] ?? `Panel ${i + 1}`,
          image: asImage(p as ImageInput, `panels[${i}]`),
        },
  );
  const pixel = { range: 'minmax' as const, colormap: 'gray', ...options };
  const images = panelImages(
    entries.map((e) => e.image),
    pixel,
  );
  return figure(
    entries.map((entry, i) => {
      const [low, high] = valueSpan(entry.image, pixel.range);
      return {
        title: entry.title,
        image: images[i] as RgbaImage,
        colorbar: { colormap: pixel.colormap, low, high },
      };
    }),
    {
      columns: entries.length === 4 ? 2 : Math.min(entries.length, 4),
      ...(options.title ? { title: options.title } : {}),
    },
  );
}

/** The largest absolute value: kernels drawn on one symmetric scale keep 0 at the middle grey. */
function symmetricRange(images: readonly ImageLike[]): [number, number] {
  let m = 0;
  for (const { data } of images)
    for (let i = 0; i < data.length; i++) m = Math.max(m, Math.abs(data[i]));
  return m > 0 ? [-m, m] : [-1, 1];
}

/**
 * Kernels as the workshop writes them by hand (`[kh, kw]` each), on one symmetric grey scale,
 * each cell annotated with its value: what a convolution multiplies a neighbourhood by.
 */
export function kernelFigure(
  kernels: readonly TitledImage[],
  options: { cellSize?: number; title?: string; colormap?: ColormapName | string } = {},
): Figure {
  if (kernels.length === 0) throw new VizError('kernels: the list is empty', { source: 'kernels' });
  const images = kernels.map((k, i) => asImage(k.image, `kernels[${i}]`));
  const range = symmetricRange(images);
  const colormapName = options.colormap ?? 'gray';
  const panels = images.map((img, i) => {
    const [h, w] = img.shape as [number, number];
    const factor = options.cellSize ?? scaleFor(Math.min(h, w), 108);
    return {
      title: (kernels[i] as TitledImage).title,
      image: upscale(renderImage(img, { range, colormap: colormapName }), factor),
      cellText: {
        rows: h,
        cols: w,
        text: Array.from({ length: h * w }, (_, j) => formatTick(img.data[j] as number)),
      },
    };
  });
  return figure(panels, {
    columns: Math.min(kernels.length, 4),
    colorbar: { colormap: colormapName, low: range[0], high: range[1], label: 'weight' },
    ...(options.title ? { title: options.title } : {}),
  });
}

/**
 * A conv layer's learned filters from its kernel weights `[kh, kw, inChannels, filters]`: one
 * panel per filter (input channel `inputChannel`), 8 a row, all on one symmetric grey scale so
 * that their weights compare, with one colour bar.
 */
export function convFilters(
  kernel: ImageInput,
  options: {
    columns?: number;
    inputChannel?: number;
    scale?: number;
    title?: string;
    colormap?: ColormapName | string;
  } = {},
): Figure {
  const { data, shape } = asImage(kernel, 'kernel');
  if (shape.length !== 4 || shape[3] === 0) {
    throw new VizError(
      `kernel: expected weights [kh, kw, inChannels, filters], got [${shape.join(', ')}]`,
      { source: 'kernel' },
    );
  }
  const [kh, kw, cin, count] = shape as [number, number, number, number];
  const channel = options.inputChannel ?? 0;
  if (!Number.isInteger(channel) || channel < 0 || channel >= cin) {
    throw new VizError(`inputChannel: expected 0 to ${cin - 1}, got ${channel}`, {
      source: 'inputChannel',
    });
  }
  const filters = Array.from({ length: count }, (_, f) => {
    const values = new Float64Array(kh * kw);
    for (let i = 0; i < kh * kw; i++) values[i] = data[(i * cin + channel) * count + f] as number;
    return { data: values, shape: [kh, kw] };
  });
  const range = symmetricRange(filters);
  const colormapName = options.colormap ?? 'gray';
  const factor = options.scale ?? scaleFor(Math.min(kh, kw), 36);
  return figure(
    filters.map((f) => ({
      image: upscale(renderImage(f, { range, colormap: colormapName }), factor),
    })),
    {
      columns: options.columns ?? Math.min(count, 8),
      gap: 4,
      outline: false,
      colorbar: { colormap: colormapName, low: range[0], high: range[1], label: 'weight' },
      ...(options.title ? { title: options.title } : {}),
    },
  );
}

/**
 * Images in a grid, each titled (a class name, "7 → 1" for a prediction) and, with `right`,
 * framed green where the prediction is right and red where it is wrong.
 */
export function imageFigure(
  images: ImageInput | readonly ImageInput[],
  options: PixelOptions & {
    titles?: readonly string[];
    right?: readonly boolean[];
    columns?: number;
    title?: string;
    /** Shorter side of a panel, when scale is not given. */
    side?: number;
  } = {},
): Figure {
  const list = splitImages(images, 'images');
  if (list.length === 0) throw new VizError('images: the list is empty', { source: 'images' });
  for (const [name, values] of [
    ['titles', options.titles],
    ['right', options.right],
  ] as const) {
    if (values && values.length < list.length) {
      throw new VizError(`${name}: ${values.length} for ${list.length} images`, { source: name });
    }
  }
  const rendered = panelImages(list, options, options.side ?? 56);
  return figure(
    rendered.map((image, i) => ({
      image,
      ...(options.titles ? { title: options.titles[i] } : {}),
      ...(options.right ? { frame: options.right[i] ? rgb(RIGHT_COLOR) : rgb(WRONG_COLOR) } : {}),
    })),
    {
      columns: options.columns ?? Math.min(list.length, 8),
      gap: 6,
      ...(options.title ? { title: options.title } : {}),
    },
  );
}

const rgb = (c: readonly number[]) => `rgb(${c[0]},${c[1]},${c[2]})`;

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
