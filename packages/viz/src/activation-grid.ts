import { type ColormapName, colormap } from './colormap.js';
import { VizError } from './errors.js';
import { type Figure, figure, scaleFor, upscale } from './figure.js';
import { asImage, type ImageInput, type RgbaImage } from './image.js';

export interface ActivationGridOptions {
  /** Channels per grid row; 16 as in the workshop. */
  imagesPerRow?: number;
  /** Colormap of activationGrid; viridis as in the workshop. */
  colormap?: ColormapName | string;
}

/** The tiled channels as bytes, before colouring. */
export interface ActivationGridData {
  /** Standardised channels, ×64 + 128, clipped to 0–255; unused cells hold 0. */
  data: Uint8ClampedArray;
  shape: [number, number];
  /** How many cells hold a channel (the rest of the last row is unused). */
  channels: number;
  /** Height and width of one cell. */
  cellShape: [number, number];
  imagesPerRow: number;
}

/**
 * Tiles a `[1, h, w, c]` activation: channel k at grid row floor(k / imagesPerRow), column
 * k % imagesPerRow, no spacing. Each channel is standardised on its own (population std, as
 * numpy); a constant channel has nothing to show and becomes a uniform 128.
 */
export function activationGridData(
  activation: ImageInput,
  options: ActivationGridOptions = {},
): ActivationGridData {
  const { data, shape } = asImage(activation, 'activation');
  if (shape.length !== 4 || shape[0] !== 1) {
    throw new VizError(
      `activation: expected shape [1, h, w, c] (one image), got [${shape.join(', ')}]`,
      { source: 'activation' },
    );
  }
  const [, h, w, c] = shape;
  if (c === 0) throw new VizError('activation: has zero channels', { source: 'activation' });
  if (h === 0 || w === 0) {
    throw new VizError(`activation: empty image ${h}×${w}`, { source: 'activation' });
  }
  const perRow = options.imagesPerRow ?? 16;
  if (!Number.isInteger(perRow) || perRow < 1) {
    throw new VizError(`imagesPerRow: expected a positive integer, got ${perRow}`, {
      source: 'imagesPerRow',
    });
  }
  const rows = Math.ceil(c / perRow);
  const width = perRow * w;
  const out = new Uint8ClampedArray(rows * h * width);
  const n = h * w;
  for (let k = 0; k < c; k++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += data[i * c + k];
    const mean = sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += (data[i * c + k] - mean) ** 2;
    const std = Math.sqrt(squares / n);
    // Zero (or non-finite) spread: standardising would divide by zero.
    const scale = std > 0 && Number.isFinite(std) ? 64 / std : 0;
    const top = Math.floor(k / perRow) * h;
    const left = (k % perRow) * w;
    for (let y = 0; y < h; y++) {
      const row = (top + y) * width + left;
      for (let x = 0; x < w; x++) {
        const v = (data[(y * w + x) * c + k] - mean) * scale + 128;
        // Clipped then truncated, as numpy's clip(...).astype('uint8').
        out[row + x] = v <= 0 || Number.isNaN(v) ? 0 : v >= 255 ? 255 : Math.floor(v);
      }
    }
  }
  return {
    data: out,
    shape: [rows * h, width],
    channels: c,
    cellShape: [h, w],
    imagesPerRow: perRow,
  };
}

/**
 * activationGridData coloured by a colormap into RGBA `[rows·h, imagesPerRow·w, 4]`; unused
 * cells of the last row are transparent (all four bytes 0).
 */
export function activationGrid(
  activation: ImageInput,
  options: ActivationGridOptions = {},
): RgbaImage {
  const table = colormap(options.colormap ?? 'viridis');
  const grid = activationGridData(activation, options);
  const [height, width] = grid.shape;
  const [h, w] = grid.cellShape;
  const out = new Uint8ClampedArray(height * width * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const cell = Math.floor(y / h) * grid.imagesPerRow + Math.floor(x / w);
      if (cell >= grid.channels) continue;
      const i = y * width + x;
      const t = grid.data[i] * 4;
      out[i * 4] = table[t];
      out[i * 4 + 1] = table[t + 1];
      out[i * 4 + 2] = table[t + 2];
      out[i * 4 + 3] = 255;
    }
  }
  return { data: out, shape: [height, width, 4] };
}

export interface ActivationFigureOptions extends ActivationGridOptions {
  /** The layer's name, titled over the grid as the workshop's `plt.title(layer_name)`. */
  layer?: string;
  /** Shorter side of one map in pixels, at least: a 3×3 map is upscaled ×14 to 42 px. */
  minCell?: number;
}

/**
 * activationGrid as a figure: one panel per channel (16 a row), each upscaled by the same whole
 * number so that a 3×3 map is as visible as a 26×26 one, 2 px apart, titled with the layer's
 * name and shape, with a colour bar in standard deviations from each channel's mean (the grid's
 * ×64 + 128 puts byte 0 at −2σ and 255 at +2σ).
 */
export function activationFigure(
  activation: ImageInput,
  options: ActivationFigureOptions = {},
): Figure {
  const name = options.colormap ?? 'viridis';
  const table = colormap(name);
  const grid = activationGridData(activation, options);
  const [h, w] = grid.cellShape;
  const factor = scaleFor(Math.min(h, w), options.minCell ?? 40);
  const panels = Array.from({ length: grid.channels }, (_, k) => {
    const top = Math.floor(k / grid.imagesPerRow) * h;
    const left = (k % grid.imagesPerRow) * w;
    const cell = new Uint8ClampedArray(h * w * 4);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const t = (grid.data[(top + y) * grid.shape[1] + left + x] as number) * 4;
        cell.set(table.subarray(t, t + 4), (y * w + x) * 4);
      }
    }
    return { image: upscale({ data: cell, shape: [h, w, 4] }, factor) };
  });
  const shape = `${h}×${w}×${grid.channels}`;
  return figure(panels, {
    columns: Math.min(grid.channels, grid.imagesPerRow),
    gap: 2,
    outline: false,
    title: options.layer ? `${options.layer} · ${shape}` : shape,
    colorbar: { colormap: name, low: -2, high: 2, label: 'σ from the map’s mean' },
  });
}
