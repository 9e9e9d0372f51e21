import { type ColormapName, colormap } from './colormap.js';
import { VizError } from './errors.js';
import { drawDigits, textWidth } from './font.js';
import {
  asImage,
  type ImageInput,
  type ImageLike,
  type RgbaImage,
  toByte,
  type ValueRange,
  valueSpan,
} from './image.js';

export interface ImageGridOptions {
  /** Images per grid row; all of them (up to 10) by default. */
  perRow?: number;
  /** True classes, one per image; with predictions they mark each cell right or wrong. */
  labels?: ArrayLike<number>;
  /** Predicted classes, one per image. */
  predictions?: ArrayLike<number>;
  /** Whole-number upscaling of every pixel (nearest neighbour). */
  scale?: number;
  /** Colours single-channel images; 'greys' draws dark ink on white, as the workshop's figures. */
  colormap?: ColormapName | string;
  /**
   * What the values span: 'auto' reads floating-point data within [0, 1] as 0–1 and anything
   * else as 0–255; 'minmax' stretches each image's own min–max (as matplotlib's imshow); or an
   * explicit [low, high].
   */
  range?: ValueRange;
  /** Transparent pixels between cells. */
  gap?: number;
  /** Width of the right (green) / wrong (red) border, when predictions are given. */
  border?: number;
  /**
   * A strip under each cell with its label (and prediction, when given) in a small digit font;
   * on by default when labels are given.
   */
  captions?: boolean;
}

const CAPTION_INK = [0, 0, 0, 255] as const;
const CAPTION_PAPER = [255, 255, 255, 255] as const;

export const RIGHT_COLOR = [0, 170, 0, 255] as const;
export const WRONG_COLOR = [220, 0, 0, 255] as const;

/** A batch `[n, h, w]` / `[n, h, w, c]` or a list of images, as a list of `[h, w, c]` images. */
export function splitImages(images: ImageInput | readonly ImageInput[], what: string): ImageLike[] {
  if (Array.isArray(images)) return images.map((img, i) => asImage(img, `${what}[${i}]`));
  const batch = asImage(images as ImageInput, what);
  const { shape } = batch;
  if (shape.length !== 3 && shape.length !== 4) {
    throw new VizError(
      `${what}: expected a batch [n, h, w] or [n, h, w, c] or a list of images, got [${shape.join(', ')}]`,
      { source: what },
    );
  }
  const [n, ...rest] = shape;
  const size = rest.reduce((a, b) => a * b, 1);
  const out: ImageLike[] = [];
  for (let i = 0; i < n; i++) {
    const start = i * size;
    const data = batch.data as ArrayLike<number> & {
      subarray?: (a: number, b: number) => ArrayLike<number>;
    };
    const part =
      typeof data.subarray === 'function'
        ? data.subarray(start, start + size)
        : Array.prototype.slice.call(data, start, start + size);
    out.push({ data: part, shape: rest });
  }
  return out;
}

/** One image (grey, RGB or RGBA) as RGBA, its values mapped through `range` to bytes. */
export function renderImage(
  image: ImageLike,
  options: { colormap?: ColormapName | string; range?: ValueRange },
  what = 'image',
): RgbaImage {
  const { shape, data } = image;
  const c = shape.length === 2 ? 1 : shape[2];
  if ((shape.length !== 2 && shape.length !== 3) || ![1, 3, 4].includes(c)) {
    throw new VizError(
      `${what}: expected [h, w] or [h, w, c] with c 1, 3 or 4, got [${shape.join(', ')}]`,
      { source: what },
    );
  }
  const [h, w] = shape;
  const table = colormap(options.colormap ?? 'greys');
  const [lo, hi] = valueSpan(image, options.range ?? 'auto');
  const k = hi > lo ? 255 / (hi - lo) : 0;
  const out = new Uint8ClampedArray(h * w * 4);
  for (let i = 0; i < h * w; i++) {
    const o = i * 4;
    if (c === 1) {
      const t = toByte((data[i] - lo) * k) * 4;
      out.set(table.subarray(t, t + 4), o);
    } else {
      for (let j = 0; j < 3; j++) out[o + j] = toByte((data[i * c + j] - lo) * k);
      out[o + 3] = c === 4 ? toByte(data[i * c + 3]) : 255;
    }
  }
  return { data: out, shape: [h, w, 4] };
}

function positiveInt(value: number, name: string, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new VizError(`${name}: expected an integer ≥ ${min}, got ${value}`, { source: name });
  }
  return value;
}

/**
 * Tiles images row by row into one RGBA image, each upscaled by `scale`. With `labels` and
 * `predictions`, every cell gets a border: green where the prediction is right, red where it is
 * wrong. Gaps and unused cells are transparent.
 *
 * Images may differ in height and width (a 'full' convolution is larger than its input, and
 * imshow shows such panels side by side at one display size): every cell is as large as the
 * largest image, and a smaller image sits centred in its cell on the transparent background.
 * Grey and colour images may share a grid: each is drawn as RGBA.
 */
export function imageGrid(
  images: ImageInput | readonly ImageInput[],
  options: ImageGridOptions = {},
): RgbaImage {
  const list = splitImages(images, 'images');
  if (list.length === 0) throw new VizError('images: the list is empty', { source: 'images' });
  const rendered = list.map((img, i) => renderImage(img, options, `images[${i}]`));
  // Each cell fits the largest image; smaller ones are centred in it (see the doc comment).
  let h = 0;
  let w = 0;
  for (const { shape } of rendered) {
    h = Math.max(h, shape[0]);
    w = Math.max(w, shape[1]);
  }
  const { labels, predictions } = options;
  const marked = predictions !== undefined;
  if (
    marked &&
    (labels === undefined || labels.length < list.length || predictions.length < list.length)
  ) {
    throw new VizError(`predictions: need labels and predictions for all ${list.length} images`, {
      source: 'predictions',
    });
  }
  const perRow = positiveInt(options.perRow ?? Math.min(list.length, 10), 'perRow');
  const scale = positiveInt(options.scale ?? 1, 'scale');
  const gap = positiveInt(options.gap ?? 0, 'gap', 0);
  const border = marked ? positiveInt(options.border ?? 2, 'border', 0) : 0;
  const captions = (options.captions ?? labels !== undefined) && labels !== undefined;
  if (captions && labels.length < list.length) {
    throw new VizError(`labels: need one label for each of the ${list.length} images`, {
      source: 'labels',
    });
  }
  // The font's 3×5 glyphs grow with the images so captions stay legible when upscaled.
  const glyph = Math.max(1, Math.floor(scale / 2));
  const captionH = captions ? 7 * glyph : 0;
  const cellH = h * scale + 2 * border + captionH;
  const cellW = w * scale + 2 * border;
  const rows = Math.ceil(list.length / perRow);
  const height = rows * cellH + (rows - 1) * gap;
  const width = perRow * cellW + (perRow - 1) * gap;
  const out = new Uint8ClampedArray(height * width * 4);
  for (const [n, img] of rendered.entries()) {
    const top = Math.floor(n / perRow) * (cellH + gap);
    const left = (n % perRow) * (cellW + gap);
    if (marked && labels) {
      // Only the frame: the padding around a smaller image stays background.
      const color = labels[n] === predictions[n] ? RIGHT_COLOR : WRONG_COLOR;
      for (let y = 0; y < cellH - captionH; y++) {
        const inside = y >= border && y < cellH - captionH - border;
        for (let x = 0; x < cellW; x++) {
          if (inside && x >= border && x < cellW - border) continue;
          out.set(color, ((top + y) * width + left + x) * 4);
        }
      }
    }
    const [ih, iw] = img.shape;
    const dy = Math.floor(((h - ih) * scale) / 2);
    const dx = Math.floor(((w - iw) * scale) / 2);
    for (let y = 0; y < ih * scale; y++) {
      const sy = Math.floor(y / scale);
      for (let x = 0; x < iw * scale; x++) {
        const s = (sy * iw + Math.floor(x / scale)) * 4;
        const o = ((top + border + dy + y) * width + left + border + dx + x) * 4;
        out.set(img.data.subarray(s, s + 4), o);
      }
    }
    if (captions && labels) {
      const strip = top + cellH - captionH;
      for (let y = strip; y < strip + captionH; y++) {
        for (let x = left; x < left + cellW; x++) out.set(CAPTION_PAPER, (y * width + x) * 4);
      }
      // "7" for a label, "7 1" for label 7 predicted as 1; cut to the cell's width.
      let text = marked ? `${labels[n]} ${predictions[n]}` : `${labels[n]}`;
      while (text.length > 0 && textWidth(text, glyph) > cellW) text = text.slice(0, -1);
      const x = left + Math.floor((cellW - textWidth(text, glyph)) / 2);
      drawDigits(out, width, text, x, strip + glyph, glyph, CAPTION_INK);
    }
  }
  return { data: out, shape: [height, width, 4] };
}
