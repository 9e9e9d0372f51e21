import { describe, expect, it } from 'vitest';
import { VizError } from './errors.js';
import {
  augmentedBatch,
  confusionHeatmap,
  convFilters,
  filterFigure,
  originalAndTranslated,
} from './figures.js';

const px = (image: { data: Uint8ClampedArray; shape: readonly number[] }, y: number, x: number) => {
  const i = (y * image.shape[1] + x) * 4;
  return Array.from(image.data.subarray(i, i + 4));
};

const blank = (h: number, w: number) => ({ data: new Uint8Array(h * w), shape: [h, w] });

describe('figures', () => {
  it('originalAndTranslated puts two images 4 px apart', () => {
    const fig = originalAndTranslated(blank(28, 28), blank(28, 28));
    expect(fig.shape).toEqual([28, 60, 4]);
    expect(px(fig, 0, 29)).toEqual([0, 0, 0, 0]);
    expect(px(fig, 0, 32)).toEqual([255, 255, 255, 255]);
  });

  it('augmentedBatch tiles 8 a row', () => {
    const fig = augmentedBatch({ data: new Uint8Array(10 * 4), shape: [10, 2, 2, 1] });
    expect(fig.shape).toEqual([2 * 2 + 2, 8 * 2 + 7 * 2, 4]);
  });

  it('filterFigure stretches each panel to its own min–max', () => {
    const panel = (lo: number, hi: number) => ({ data: new Float32Array([lo, hi]), shape: [1, 2] });
    const fig = filterFigure([panel(0, 255), panel(-5, 5), panel(-1, 0), panel(10, 20)]);
    expect(fig.shape).toEqual([6, 8, 4]);
    for (const [y, x] of [
      [0, 0],
      [0, 6],
      [5, 0],
      [5, 6],
    ]) {
      expect(px(fig, y, x)).toEqual([0, 0, 0, 255]);
      expect(px(fig, y, x + 1)).toEqual([255, 255, 255, 255]);
    }
    expect(() => filterFigure([panel(0, 1)] as never)).toThrow(VizError);
  });

  it("filterFigure takes the 30×30 'full' smoothing beside 28×28 panels", () => {
    // Each panel: 0 everywhere but one 1 at its top-left corner, so min–max makes it a white dot
    // on black; the 30×30 panel's frame of 1 pixel around a 28×28 is where the others pad.
    const panel = (side: number) => {
      const data = new Float32Array(side * side);
      data[0] = 1;
      return { data, shape: [side, side] };
    };
    const fig = filterFigure([panel(28), panel(30), panel(28), panel(28)]);
    // cells of 30, 4 px apart
    expect(fig.shape).toEqual([64, 64, 4]);
    const clear = [0, 0, 0, 0];
    const white = [255, 255, 255, 255];
    const black = [0, 0, 0, 255];
    // the 30×30 fills its cell (top right, from column 34)
    expect(px(fig, 0, 34)).toEqual(white);
    expect(px(fig, 29, 63)).toEqual(black);
    // each 28×28 panel: a 1-pixel background ring, its corner dot at (1, 1) of its cell
    for (const [top, left] of [
      [0, 0],
      [34, 0],
      [34, 34],
    ]) {
      for (const [y, x] of [
        [0, 0],
        [0, 15],
        [15, 0],
        [29, 29],
        [29, 15],
        [15, 29],
      ]) {
        expect(px(fig, top + y, left + x)).toEqual(clear);
      }
      expect(px(fig, top + 1, left + 1)).toEqual(white);
      expect(px(fig, top + 1, left + 2)).toEqual(black);
      expect(px(fig, top + 28, left + 28)).toEqual(black);
    }
  });

  it('filterFigure is unchanged for equal panels', () => {
    // A fixed 2×2 figure of 3×3 ramps; its FNV-1a checksum was taken before unequal panels.
    const ramp = (k: number) => ({
      data: Float32Array.from({ length: 9 }, (_, i) => Math.sin(i * k)),
      shape: [3, 3],
    });
    const fig = filterFigure([ramp(1), ramp(2), ramp(3), ramp(4)]);
    expect(fig.shape).toEqual([10, 10, 4]);
    let hash = 0x811c9dc5;
    for (const b of fig.data) hash = Math.imul(hash ^ b, 0x01000193) >>> 0;
    expect(hash).toBe(0x25c280b1);
  });

  it('convFilters draws each filter of [kh, kw, 1, filters] in its cell', () => {
    // Two 3×3 filters: filter f has its largest weight at kernel index f.
    const kernel = new Float32Array(3 * 3 * 1 * 2);
    for (let f = 0; f < 2; f++) kernel[f * 2 + f] = 1;
    const fig = convFilters({ data: kernel, shape: [3, 3, 1, 2] }, { scale: 1 });
    expect(fig.shape).toEqual([3, 3 * 2 + 1, 4]);
    expect(px(fig, 0, 0)).toEqual([255, 255, 255, 255]); // filter 0, (0, 0)
    expect(px(fig, 0, 1)).toEqual([0, 0, 0, 255]);
    expect(px(fig, 0, 4 + 1)).toEqual([255, 255, 255, 255]); // filter 1, (0, 1)
    expect(() => convFilters({ data: kernel, shape: [3, 3, 2] })).toThrow(VizError);
  });

  it('confusionHeatmap colours by count and writes the counts', () => {
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
