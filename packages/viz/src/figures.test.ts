import { describe, expect, it } from 'vitest';
import {
  byTag,
  type El,
  firstDifference,
  makeImage,
  parseSvg,
  px,
  texts,
} from '../test/svg-parts.js';
import { colormap } from './colormap.js';
import { VizError } from './errors.js';
import { type Figure, figureImage, formatTick } from './figure.js';
import {
  augmentedBatch,
  confusionHeatmap,
  convFilters,
  DIGIT_SIDE,
  filterFigure,
  imageFigure,
  kernelFigure,
  originalAndTranslated,
} from './figures.js';
import type { RgbaImage } from './image.js';
import { figureToSvg } from './node/figure-file.js';

/** A 28×28 "digit": a ramp of every byte value, so that each pixel's colour is checkable. */
const digit = (seed = 0) => ({
  data: Uint8Array.from({ length: 28 * 28 }, (_, i) => (i * 7 + seed) % 256),
  shape: [28, 28],
});

/** The colormap's RGBA for byte t. */
const colour = (name: string, t: number) => Array.from(colormap(name).subarray(t * 4, t * 4 + 4));

/** `source` (values 0–255, `[h, w]`) upscaled by `factor` through a colormap, built here. */
function expectedPixels(
  source: { data: ArrayLike<number>; shape: readonly number[] },
  factor: number,
  byte: (v: number) => number,
  map = 'greys',
): RgbaImage {
  const [h, w] = source.shape as [number, number];
  return makeImage(h * factor, w * factor, (y, x) =>
    colour(map, byte(source.data[Math.floor(y / factor) * w + Math.floor(x / factor)] as number)),
  );
}

/** A gray ramp: value v of [lo, hi] as the byte imshow would show it. */
const stretch = (lo: number, hi: number) => (v: number) =>
  Math.min(255, Math.max(0, Math.round((v - lo) * (255 / (hi - lo)))));

function minMax(data: ArrayLike<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    lo = Math.min(lo, data[i] as number);
    hi = Math.max(hi, data[i] as number);
  }
  return [lo, hi];
}

/** The part of `image` at (top, left), h × w. */
function crop(image: RgbaImage, top: number, left: number, h: number, w: number): RgbaImage {
  return makeImage(h, w, (y, x) => px(image, top + y, left + x));
}

const panelImage = (fig: Figure, i: number) => fig.panels[i]?.image as RgbaImage;
const svgRoot = (fig: Figure) => parseSvg(figureToSvg(fig));

describe('originalAndTranslated', () => {
  it('titles two panels, each the digit upscaled ×5 to 140 px, greys: 0 white, 255 black', () => {
    expect(colour('greys', 0)).toEqual([255, 255, 255, 255]);
    expect(colour('greys', 255)).toEqual([0, 0, 0, 255]);
    const a = digit(0);
    const b = digit(100);
    const fig = originalAndTranslated(a, b);
    expect(fig.columns).toBe(2);
    expect(fig.panels.map((p) => p.title)).toEqual(['Original', 'Translated']);
    expect(DIGIT_SIDE).toBe(140);
    for (const [i, source] of [a, b].entries()) {
      expect(panelImage(fig, i).shape).toEqual([140, 140, 4]);
      const expected = expectedPixels(source, 5, (v) => v);
      expect(firstDifference(panelImage(fig, i), expected)).toBeUndefined();
    }
    const root = svgRoot(fig);
    expect(texts(root, 'panel-title')).toEqual(['Original', 'Translated']);
    expect(byTag(root, 'image').map((e) => [e.attrs.width, e.attrs.height])).toEqual([
      ['140', '140'],
      ['140', '140'],
    ]);
  });

  it('takes other titles, a figure title and a scale', () => {
    const fig = originalAndTranslated(digit(), digit(), {
      titles: ['Before', 'After'],
      title: 'Shift',
      scale: 2,
    });
    expect(fig.panels.map((p) => p.title)).toEqual(['Before', 'After']);
    expect(fig.title).toBe('Shift');
    expect(panelImage(fig, 0).shape).toEqual([56, 56, 4]);
  });
});

describe('augmentedBatch', () => {
  it('puts 9 samples in 3 columns, each at least 140 px, untitled under one title', () => {
    const data = new Uint8Array(9 * 28 * 28);
    for (let i = 0; i < data.length; i++) data[i] = (i * 13) % 256;
    const fig = augmentedBatch({ data, shape: [9, 28, 28, 1] });
    expect(fig.columns).toBe(3);
    expect(fig.panels).toHaveLength(9);
    expect(fig.title).toBe('Augmented samples');
    for (const [k, panel] of fig.panels.entries()) {
      expect(panel.title).toBeUndefined();
      expect(panel.image.shape[0]).toBeGreaterThanOrEqual(140);
      expect(panel.image.shape[1]).toBeGreaterThanOrEqual(140);
      // Sample k's pixel (y, x) is the block at (5y, 5x).
      for (const [y, x] of [
        [0, 0],
        [13, 27],
        [27, 5],
      ] as const) {
        const v = data[k * 784 + y * 28 + x] as number;
        expect(px(panel.image, y * 5 + 4, x * 5 + 4)).toEqual(colour('greys', v));
      }
    }
    const source = { data: data.subarray(4 * 784, 5 * 784), shape: [28, 28] };
    expect(
      firstDifference(
        panelImage(fig, 4),
        expectedPixels(source, 5, (v) => v),
      ),
    ).toBeUndefined();
  });

  it('makes small samples 140 px too, and a square-ish grid for other counts', () => {
    const fig = augmentedBatch(
      Array.from({ length: 5 }, () => ({ data: new Uint8Array(10 * 12), shape: [10, 12] })),
    );
    expect(fig.columns).toBe(3);
    expect(panelImage(fig, 0).shape).toEqual([140, 168, 4]);
    expect(() => augmentedBatch([])).toThrow(VizError);
  });
});

describe('filterFigure', () => {
  // The workshop's four panels, built by hand: a digit, its 'full' smoothing (30×30), and two
  // edge maps with negative values.
  const workshop = () => {
    const original = digit(3);
    const smoothed = {
      data: Float32Array.from({ length: 900 }, (_, i) => 40 + 30 * Math.sin(i / 7)),
      shape: [30, 30],
    };
    const horizontal = {
      data: Float32Array.from({ length: 784 }, (_, i) => Math.cos(i / 5) * 90 - 20),
      shape: [28, 28],
    };
    const all = {
      data: Float32Array.from({ length: 784 }, (_, i) => ((i * 31) % 97) - 50),
      shape: [28, 28],
    };
    return [original, smoothed, horizontal, all];
  };

  it('titles the four workshop panels, 2 a row, each on its own min–max with its colour bar', () => {
    const sources = workshop();
    const fig = filterFigure(sources);
    expect(fig.columns).toBe(2);
    expect(fig.panels.map((p) => p.title)).toEqual([
      'Original',
      'Smoothed',
      'Horizontal Edges',
      'All Edges',
    ]);
    // Scaled alike (×5, from the 28 px panels): the 30×30 smoothing is 150 beside 140.
    expect(fig.panels.map((p) => p.image.shape[0])).toEqual([140, 150, 140, 140]);
    for (const [i, source] of sources.entries()) {
      const [lo, hi] = minMax(source.data);
      expect(fig.panels[i]?.colorbar).toEqual({ colormap: 'gray', low: lo, high: hi });
      const image = panelImage(fig, i);
      const w = source.shape[1] as number;
      // The minimum is black and the maximum white.
      const at = (v: number) => {
        const j = Array.prototype.indexOf.call(source.data, v) as number;
        return px(image, Math.floor(j / w) * 5 + 2, (j % w) * 5 + 2);
      };
      expect(at(lo)).toEqual([0, 0, 0, 255]);
      expect(at(hi)).toEqual([255, 255, 255, 255]);
      expect(
        firstDifference(image, expectedPixels(source, 5, stretch(lo, hi), 'gray')),
      ).toBeUndefined();
    }
    const root = svgRoot(fig);
    expect(texts(root, 'panel-title')).toEqual([
      'Original',
      'Smoothed',
      'Horizontal Edges',
      'All Edges',
    ]);
    const bars = byTag(root, 'g', 'colorbar');
    expect(bars).toHaveLength(4);
    for (const [i, bar] of bars.entries()) {
      const [lo, hi] = minMax(sources[i]?.data ?? []);
      expect(texts(bar, 'tick')).toEqual([hi, (lo + hi) / 2, lo].map(formatTick));
    }
  });

  it('centres the 140 px panels in cells as large as the 150 px one (figureImage)', () => {
    const fig = filterFigure(workshop());
    const out = figureImage(fig);
    // Cells of 150, 12 px apart.
    expect(out.shape).toEqual([312, 312, 4]);
    const white = [255, 255, 255, 255];
    expect(px(out, 0, 0)).toEqual(white);
    expect(px(out, 4, 4)).toEqual(white);
    expect(px(out, 154, 154)).toEqual(white);
    for (const [i, top, left] of [
      [0, 5, 5],
      [1, 0, 162],
      [2, 167, 5],
      [3, 167, 167],
    ] as const) {
      const image = panelImage(fig, i);
      const [h, w] = image.shape;
      expect(firstDifference(crop(out, top, left, h, w), image)).toBeUndefined();
    }
  });

  it('takes titled panels in a row', () => {
    const fig = filterFigure([
      { title: 'Image', image: digit() },
      {
        title: 'Sobel x',
        image: { data: new Float32Array(784).map((_, i) => i - 400), shape: [28, 28] },
      },
    ]);
    expect(fig.columns).toBe(2);
    expect(fig.panels.map((p) => p.title)).toEqual(['Image', 'Sobel x']);
    expect(fig.panels[1]?.colorbar).toMatchObject({ low: -400, high: 383 });
    expect(texts(svgRoot(fig), 'panel-title')).toEqual(['Image', 'Sobel x']);
  });

  it('names untitled panels past the fourth, and rejects an empty list', () => {
    const five = filterFigure([...workshop(), digit()]);
    expect(five.panels[4]?.title).toBe('Panel 5');
    expect(five.columns).toBe(4);
    expect(() => filterFigure([])).toThrow(VizError);
  });

  it('is unchanged for equal panels', () => {
    // A fixed 2×2 figure of 3×3 ramps; its FNV-1a checksum was taken before unequal panels.
    const ramp = (k: number) => ({
      data: Float32Array.from({ length: 9 }, (_, i) => Math.sin(i * k)),
      shape: [3, 3],
    });
    const fig = filterFigure([ramp(1), ramp(2), ramp(3), ramp(4)], { scale: 1 });
    const out = figureImage({ ...fig, gap: 4 });
    expect(out.shape).toEqual([10, 10, 4]);
    // Each ramp's own min–max: compare with the stretch computed here.
    for (const [i, [top, left]] of [
      [0, 0],
      [0, 7],
      [7, 0],
      [7, 7],
    ].entries()) {
      const source = ramp(i + 1);
      const [lo, hi] = minMax(source.data);
      const expected = expectedPixels(source, 1, stretch(lo, hi), 'gray');
      expect(
        firstDifference(crop(out, top as number, left as number, 3, 3), expected),
      ).toBeUndefined();
    }
  });
});

describe('kernelFigure', () => {
  const smooth = {
    title: 'Smoothing',
    image: { data: new Float32Array(9).fill(1 / 9), shape: [3, 3] },
  };
  const sobel = {
    title: 'Sobel x',
    image: { data: Float32Array.from([-1, 0, 1, -2, 0, 2, -1, 0, 1]), shape: [3, 3] },
  };

  it('writes each weight in its cell, on one symmetric grey scale (0 the middle grey)', () => {
    const fig = kernelFigure([smooth, sobel]);
    expect(fig.colorbar).toEqual({ colormap: 'gray', low: -2, high: 2, label: 'weight' });
    expect(fig.columns).toBe(2);
    expect(fig.panels.map((p) => p.title)).toEqual(['Smoothing', 'Sobel x']);
    expect(fig.panels[0]?.cellText).toEqual({ rows: 3, cols: 3, text: Array(9).fill('0.111') });
    expect(fig.panels[1]?.cellText?.text).toEqual(['−1', '0', '1', '−2', '0', '2', '−1', '0', '1']);
    // 108 px panels: 36 px a cell.
    const image = panelImage(fig, 1);
    expect(image.shape).toEqual([108, 108, 4]);
    const grey = stretch(-2, 2);
    expect(grey(0)).toBe(128);
    expect(px(image, 18, 36 + 18)).toEqual([128, 128, 128, 255]); // 0
    expect(px(image, 36 + 18, 18)).toEqual([0, 0, 0, 255]); // −2
    expect(px(image, 36 + 18, 72 + 18)).toEqual([255, 255, 255, 255]); // 2
    expect(firstDifference(image, expectedPixels(sobel.image, 36, grey, 'gray'))).toBeUndefined();
    expect(
      firstDifference(panelImage(fig, 0), expectedPixels(smooth.image, 36, grey, 'gray')),
    ).toBeUndefined();

    const root = svgRoot(fig);
    const cells = byTag(root, 'text', 'cell-text');
    expect(cells.map((c) => c.text)).toEqual([
      ...Array(9).fill('0.111'),
      ...['−1', '0', '1', '−2', '0', '2', '−1', '0', '1'],
    ]);
    // White on the black −2, black on the white 2.
    expect(cells[9 + 3]?.attrs.fill).toBe('#fff');
    expect(cells[9 + 5]?.attrs.fill).toBe('#000');
    const bar = byTag(root, 'g', 'colorbar');
    expect(bar).toHaveLength(1);
    expect(texts(bar[0] as El, 'tick')).toEqual(['2', '0', '−2']);
  });

  it('is symmetric about 0 whatever the sign of the largest weight', () => {
    const fig = kernelFigure([{ title: 'k', image: { data: [0.5, -3, 1, 0], shape: [2, 2] } }]);
    expect(fig.colorbar).toMatchObject({ low: -3, high: 3 });
    // 2×2: 54 px a cell, to 108.
    expect(px(panelImage(fig, 0), 60, 60)).toEqual([128, 128, 128, 255]);
    const zero = kernelFigure([{ title: 'z', image: { data: [0, 0, 0, 0], shape: [2, 2] } }]);
    expect(zero.colorbar).toMatchObject({ low: -1, high: 1 });
    expect(() => kernelFigure([])).toThrow(VizError);
  });
});

describe('convFilters', () => {
  // [3, 3, 1, 32]: weight (ky, kx, 0, f) at (ky·3 + kx)·32 + f; values −2.75…2.75, both reached.
  const weights = Float32Array.from({ length: 288 }, (_, i) => (((i * 37) % 23) - 11) / 4);
  const kernel = { data: weights, shape: [3, 3, 1, 32] };

  it('draws 32 filters of 36 px, 8 a row, on one symmetric scale with one colour bar', () => {
    const fig = convFilters(kernel);
    expect(fig.panels).toHaveLength(32);
    expect(fig.columns).toBe(8);
    expect(fig.outline).toBe(false);
    expect(fig.colorbar).toEqual({ colormap: 'gray', low: -2.75, high: 2.75, label: 'weight' });
    const grey = stretch(-2.75, 2.75);
    for (let f = 0; f < 32; f++) {
      const image = panelImage(fig, f);
      expect(image.shape).toEqual([36, 36, 4]);
      expect(fig.panels[f]?.colorbar).toBeUndefined();
      const expected = makeImage(36, 36, (y, x) => {
        const v = weights[(Math.floor(y / 12) * 3 + Math.floor(x / 12)) * 32 + f] as number;
        return colour('gray', grey(v));
      });
      expect(firstDifference(image, expected)).toBeUndefined();
    }
    // Weight −2.75 (index 0: filter 0, (0, 0)) is black; +2.75 (residue 22) is white.
    expect(px(panelImage(fig, 0), 0, 0)).toEqual([0, 0, 0, 255]);
    const j = weights.indexOf(2.75);
    const [f, k] = [j % 32, Math.floor(j / 32)];
    expect(px(panelImage(fig, f), Math.floor(k / 3) * 12, (k % 3) * 12)).toEqual([
      255, 255, 255, 255,
    ]);
    const root = svgRoot(fig);
    expect(byTag(root, 'g', 'colorbar')).toHaveLength(1);
    expect(texts(root, 'tick')).toEqual(['2.75', '0', '−2.75']);
    expect(byTag(root, 'rect', 'outline')).toHaveLength(0);
    expect(byTag(root, 'image')).toHaveLength(32);
  });

  it('reads the input channel asked for', () => {
    // [1, 1, 2, 3]: channel c of filter f is 10·c + f (channel 1 holds 10, 11, 12).
    const data = Float32Array.from([0, 1, 2, 10, 11, 12]);
    const fig = convFilters({ data, shape: [1, 1, 2, 3] }, { inputChannel: 1, scale: 1 });
    expect(fig.colorbar).toMatchObject({ low: -12, high: 12 });
    const grey = stretch(-12, 12);
    expect(fig.panels.map((p) => px(p.image, 0, 0)[0])).toEqual([grey(10), grey(11), grey(12)]);
    expect(() => convFilters({ data, shape: [1, 1, 2, 3] }, { inputChannel: 2 })).toThrow(VizError);
  });

  it('rejects kernels that are not [kh, kw, inChannels, filters]', () => {
    expect(() => convFilters({ data: new Float32Array(18), shape: [3, 3, 2] })).toThrow(VizError);
    expect(() => convFilters({ data: new Float32Array(0), shape: [3, 3, 1, 0] })).toThrow(VizError);
  });
});

describe('imageFigure', () => {
  it('titles each image and frames it green where right, red where wrong', () => {
    const second = digit(50);
    const images = [digit(0), second, digit(99)];
    const fig = imageFigure(images, { titles: ['A', 'B', 'V'], right: [true, false, true] });
    expect(fig.columns).toBe(3);
    expect(fig.panels.map((p) => p.frame)).toEqual([
      'rgb(0,170,0)',
      'rgb(220,0,0)',
      'rgb(0,170,0)',
    ]);
    // 56 px by default: ×2.
    expect(
      firstDifference(
        panelImage(fig, 1),
        expectedPixels(second, 2, (v) => v),
      ),
    ).toBeUndefined();
    const root = svgRoot(fig);
    expect(texts(root, 'panel-title')).toEqual(['A', 'B', 'V']);
    expect(byTag(root, 'rect', 'frame').map((r) => r.attrs.stroke)).toEqual([
      'rgb(0,170,0)',
      'rgb(220,0,0)',
      'rgb(0,170,0)',
    ]);
  });

  it('needs a title and a verdict for every image', () => {
    expect(() => imageFigure([digit(), digit()], { titles: ['A'] })).toThrow(VizError);
    expect(() => imageFigure([digit(), digit()], { right: [true] })).toThrow(VizError);
    expect(() => imageFigure([])).toThrow(VizError);
    expect(imageFigure([digit()]).panels[0]?.frame).toBeUndefined();
  });
});

describe('confusionHeatmap', () => {
  it('colours by count and writes the counts', () => {
    const fig = confusionHeatmap(
      [
        [9, 0],
        [1, 7],
      ],
      { cellSize: 7 },
    );
    expect(fig.shape).toEqual([14, 14, 4]);
    // Cell (0, 1) is 0: viridis(0) background, white digit '0' whose top row starts at (1, 9).
    expect(px(fig, 0, 7)).toEqual([0x44, 0x01, 0x54, 255]);
    expect(px(fig, 1, 9)).toEqual([255, 255, 255, 255]);
    // Cell (0, 0) is the maximum: viridis(1), light, so a black '9'.
    expect(px(fig, 0, 0)).toEqual([0xfd, 0xe7, 0x25, 255]);
    expect(px(fig, 1, 2)).toEqual([0, 0, 0, 255]);
    expect(() => confusionHeatmap([[1, 2]])).toThrow(VizError);
  });
});
