import { describe, expect, it } from 'vitest';
import { activationGrid, activationGridData } from './activation-grid.js';
import { colormap } from './colormap.js';
import { VizError } from './errors.js';

/** A [1, h, w, c] activation whose channel k holds fill(k, y, x). */
function activation(
  h: number,
  w: number,
  c: number,
  fill: (k: number, y: number, x: number) => number,
) {
  const data = new Float32Array(h * w * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++) data[(y * w + x) * c + k] = fill(k, y, x);
    }
  }
  return { data, shape: [1, h, w, c] };
}

describe('activationGridData', () => {
  it('tiles 32 channels of 26×26 at 16 a row into 52×416', () => {
    const grid = activationGridData(activation(26, 26, 32, (k, y, x) => k + y + x));
    expect(grid.shape).toEqual([52, 416]);
    expect(grid.data.length).toBe(52 * 416);
    expect(grid.channels).toBe(32);
  });

  it('puts channel k at row floor(k/16), column k%16', () => {
    // Channel 21 alone has a single hot pixel at (3, 5); every other channel is constant.
    const grid = activationGridData(
      activation(8, 8, 32, (k, y, x) => (k === 21 && y === 3 && x === 5 ? 1 : 0)),
    );
    const [, width] = grid.shape;
    const top = Math.floor(21 / 16) * 8;
    const left = (21 % 16) * 8;
    const hot: number[] = [];
    for (let i = 0; i < grid.data.length; i++) if (grid.data[i] === 255) hot.push(i);
    expect(hot).toEqual([(top + 3) * width + left + 5]);
    // The rest of channel 21 sits below the mean: (0 - 1/64) / std(= sqrt(63)/64) * 64 + 128.
    const low = Math.floor(128 - 64 / Math.sqrt(63));
    expect(grid.data[top * width + left]).toBe(low);
    // A constant channel has nothing to show: a uniform 128.
    expect(grid.data[0]).toBe(128);
  });

  it('standardises a known channel to known bytes', () => {
    // Values 0, 1, 2, 3: mean 1.5, population std sqrt(1.25).
    const grid = activationGridData(
      activation(2, 2, 1, (_k, y, x) => y * 2 + x),
      {
        imagesPerRow: 1,
      },
    );
    const std = Math.sqrt(1.25);
    const expected = [0, 1, 2, 3].map((v) =>
      Math.floor(Math.min(255, Math.max(0, ((v - 1.5) / std) * 64 + 128))),
    );
    expect(Array.from(grid.data)).toEqual(expected);
    expect(expected).toEqual([42, 99, 156, 213]);
  });

  it('clips outliers to 0 and 255', () => {
    // One large value among many zeros: standardised far above 2 std.
    const grid = activationGridData(
      activation(10, 10, 1, (_k, y, x) => (y === 0 && x === 0 ? 1000 : 0)),
      {
        imagesPerRow: 1,
      },
    );
    expect(grid.data[0]).toBe(255);
    expect(grid.data[1]).toBe(Math.floor(128 - 64 / Math.sqrt(99)));
  });

  it('never produces NaN for constant channels', () => {
    const grid = activationGridData(
      activation(4, 4, 3, () => 7),
      { imagesPerRow: 3 },
    );
    expect(Array.from(new Set(grid.data))).toEqual([128]);
  });

  it('accepts a tensor-like object with dataSync()', () => {
    const act = activation(2, 2, 1, (_k, y, x) => y * 2 + x);
    const grid = activationGridData(
      { shape: act.shape, dataSync: () => act.data },
      { imagesPerRow: 1 },
    );
    expect(Array.from(grid.data)).toEqual([42, 99, 156, 213]);
  });
});

describe('activationGrid', () => {
  it('colours through viridis and leaves unused cells of the last row transparent', () => {
    const image = activationGrid(activation(3, 3, 20, (k, y, x) => k * (y + x)));
    expect(image.shape).toEqual([6, 48, 4]);
    const data = activationGridData(activation(3, 3, 20, (k, y, x) => k * (y + x)));
    const table = colormap('viridis');
    // A pixel of channel 17 (row 1, column 1).
    const i = (3 + 1) * 48 + 3 + 2;
    const t = data.data[i] * 4;
    expect(Array.from(image.data.subarray(i * 4, i * 4 + 4))).toEqual(
      Array.from(table.subarray(t, t + 4)),
    );
    // Channel 20 would be at row 1, column 4: unused, all four bytes 0.
    const j = 3 * 48 + 4 * 3;
    expect(Array.from(image.data.subarray(j * 4, j * 4 + 4))).toEqual([0, 0, 0, 0]);
    expect(image.data[(6 * 48 - 1) * 4 + 3]).toBe(0);
  });

  it('a constant channel shows the colormap middle', () => {
    const image = activationGrid(
      activation(2, 2, 1, () => 5),
      { imagesPerRow: 1, colormap: 'gray' },
    );
    expect(Array.from(image.data.subarray(0, 4))).toEqual([128, 128, 128, 255]);
  });

  it('throws VizError for a bad rank, a batch above 1, zero channels or an unknown colormap', () => {
    expect(() => activationGrid({ data: new Float32Array(4), shape: [2, 2] })).toThrow(VizError);
    expect(() => activationGrid({ data: new Float32Array(8), shape: [2, 2, 2, 1] })).toThrow(
      /\[1, h, w, c\]/,
    );
    expect(() => activationGrid({ data: new Float32Array(0), shape: [1, 2, 2, 0] })).toThrow(
      /zero channels/,
    );
    expect(() =>
      activationGrid({ data: new Float32Array(4), shape: [1, 2, 2, 1] }, { colormap: 'jet' }),
    ).toThrow(/unknown colormap 'jet'/);
    expect(() => activationGrid({ data: new Float32Array(3), shape: [1, 2, 2, 1] })).toThrow(
      VizError,
    );
  });
});
