import { describe, expect, it } from 'vitest';
import { imageGrid, RIGHT_COLOR, WRONG_COLOR } from './image-grid.js';

const px = (image: { data: Uint8ClampedArray; shape: readonly number[] }, y: number, x: number) => {
  const i = (y * image.shape[1] + x) * 4;
  return Array.from(image.data.subarray(i, i + 4));
};

describe('imageGrid', () => {
  it('tiles a [n, h, w] batch, dark ink on white with greys', () => {
    // Three 2×2 images: image i has its ink (255) at pixel i.
    const data = new Uint8Array(12);
    for (let i = 0; i < 3; i++) data[i * 4 + i] = 255;
    const grid = imageGrid({ data, shape: [3, 2, 2] }, { perRow: 2 });
    expect(grid.shape).toEqual([4, 4, 4]);
    expect(px(grid, 0, 0)).toEqual([0, 0, 0, 255]); // image 0, pixel 0: ink
    expect(px(grid, 0, 1)).toEqual([255, 255, 255, 255]);
    expect(px(grid, 0, 3)).toEqual([0, 0, 0, 255]); // image 1, pixel 1
    expect(px(grid, 3, 0)).toEqual([0, 0, 0, 255]); // image 2, pixel 2 = (1, 0)
    expect(px(grid, 2, 2)).toEqual([0, 0, 0, 0]); // unused cell: transparent
  });

  it('reads floats in [0, 1] as 0–1 and upscales by scale', () => {
    const grid = imageGrid([{ data: new Float32Array([0, 1]), shape: [1, 2] }], {
      scale: 3,
      colormap: 'gray',
    });
    expect(grid.shape).toEqual([3, 6, 4]);
    expect(px(grid, 2, 2)).toEqual([0, 0, 0, 255]);
    expect(px(grid, 2, 3)).toEqual([255, 255, 255, 255]);
  });

  it('marks right predictions green and wrong ones red', () => {
    const grid = imageGrid(
      { data: new Uint8Array(2 * 2 * 2), shape: [2, 2, 2] },
      { labels: [3, 4], predictions: [3, 5], border: 1, colormap: 'gray', captions: false },
    );
    expect(grid.shape).toEqual([4, 8, 4]);
    expect(px(grid, 0, 0)).toEqual([...RIGHT_COLOR]);
    expect(px(grid, 1, 1)).toEqual([0, 0, 0, 255]);
    expect(px(grid, 3, 7)).toEqual([...WRONG_COLOR]);
    expect(px(grid, 1, 5)).toEqual([0, 0, 0, 255]);
  });

  it('writes each label under its cell, and the prediction beside it when given', () => {
    const grid = imageGrid(
      { data: new Uint8Array(64), shape: [1, 8, 8] },
      { labels: [7], colormap: 'gray' },
    );
    // an 8×8 cell, then a 7-pixel strip: white paper, a 3×5 "7" centred from column 2, row 9
    expect(grid.shape).toEqual([15, 8, 4]);
    const ink = [0, 0, 0, 255];
    const paper = [255, 255, 255, 255];
    expect([2, 3, 4].map((c) => px(grid, 9, c))).toEqual([ink, ink, ink]);
    expect([px(grid, 10, 2), px(grid, 10, 3), px(grid, 10, 4)]).toEqual([paper, paper, ink]);
    expect([px(grid, 11, 2), px(grid, 11, 3)]).toEqual([paper, ink]);
    expect(px(grid, 8, 0)).toEqual(paper);
    const marked = imageGrid(
      { data: new Uint8Array(2 * 28 * 28), shape: [2, 28, 28] },
      { labels: [3, 4], predictions: [3, 5], border: 2, colormap: 'gray' },
    );
    // 28 + 2·2 border + 7 caption rows; "4 5" is 11 pixels wide, centred in 32
    expect(marked.shape).toEqual([39, 64, 4]);
    expect(px(marked, 33, 32 + 10)).toEqual(ink); // top-left of the "4" of the second cell
  });

  it('keeps RGB images in colour', () => {
    const grid = imageGrid([{ data: new Uint8Array([10, 20, 30]), shape: [1, 1, 3] }]);
    expect(px(grid, 0, 0)).toEqual([10, 20, 30, 255]);
  });

  it('centres smaller images in cells as large as the largest image', () => {
    // A 4×4 image of 255 beside a 2×2 of 0 and a 2×4 of 0: cells are 4×4, the small ones centred.
    const grid = imageGrid(
      [
        { data: new Uint8Array(16).fill(255), shape: [4, 4] },
        { data: new Uint8Array(4), shape: [2, 2] },
        { data: new Uint8Array(8), shape: [2, 4] },
      ],
      { perRow: 2, gap: 1, colormap: 'gray', range: [0, 255] },
    );
    expect(grid.shape).toEqual([9, 9, 4]);
    const clear = [0, 0, 0, 0];
    const black = [0, 0, 0, 255];
    // second cell (left 5): background ring, the 2×2 at rows 1–2, columns 6–7
    expect([px(grid, 0, 6), px(grid, 1, 5), px(grid, 1, 8), px(grid, 3, 7)]).toEqual([
      clear,
      clear,
      clear,
      clear,
    ]);
    expect([px(grid, 1, 6), px(grid, 2, 7)]).toEqual([black, black]);
    // third cell (top 5): full width, rows 6–7 only
    expect([px(grid, 5, 0), px(grid, 8, 3)]).toEqual([clear, clear]);
    expect([px(grid, 6, 0), px(grid, 7, 3)]).toEqual([black, black]);
  });

  it('centres after upscaling and keeps the right/wrong frame at the cell edge', () => {
    const grid = imageGrid(
      [
        { data: new Uint8Array(9), shape: [3, 3] },
        { data: new Uint8Array(1), shape: [1, 1] },
      ],
      { scale: 2, labels: [1, 2], predictions: [1, 1], border: 1, captions: false },
    );
    // cells of 3·2 + 2·1 = 8; the 1×1 becomes 2×2 at offset 2 inside the frame
    expect(grid.shape).toEqual([8, 16, 4]);
    expect(px(grid, 0, 8)).toEqual([...WRONG_COLOR]);
    expect(px(grid, 7, 15)).toEqual([...WRONG_COLOR]);
    expect(px(grid, 1, 9)).toEqual([0, 0, 0, 0]);
    expect(px(grid, 2, 10)).toEqual([0, 0, 0, 0]);
    expect(px(grid, 3, 11)).toEqual([255, 255, 255, 255]); // 0 in 'greys' is white paper
    expect(px(grid, 4, 12)).toEqual([255, 255, 255, 255]);
    expect(px(grid, 5, 13)).toEqual([0, 0, 0, 0]);
  });

  it('draws grey and colour images side by side, and rejects missing labels', () => {
    const grid = imageGrid(
      [
        { data: new Uint8Array([255, 0, 0, 255]), shape: [2, 2] },
        { data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]), shape: [2, 2, 3] },
      ],
      { range: [0, 255], gap: 0 },
    );
    expect(grid.shape).toEqual([2, 4, 4]);
    // Grey through 'greys' (255 is ink, 0 is paper); colour as it is.
    expect(px(grid, 0, 0)).toEqual([0, 0, 0, 255]);
    expect(px(grid, 0, 1)).toEqual([255, 255, 255, 255]);
    expect(px(grid, 0, 3)).toEqual([0, 255, 0, 255]);
    expect(px(grid, 1, 2)).toEqual([0, 0, 255, 255]);
    expect(() =>
      imageGrid({ data: new Uint8Array(8), shape: [2, 2, 2] }, { predictions: [1, 2] }),
    ).toThrow(/labels/);
  });
});
