import { describe, expect, it } from 'vitest';
import { byTag, firstDifference, makeImage, parseSvg, px, texts } from '../test/svg-parts.js';
import { activationFigure, activationGrid, activationGridData } from './activation-grid.js';
import { colormap } from './colormap.js';
import { VizError } from './errors.js';
import { figureToSvg } from './node/figure-file.js';

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

describe('activationFigure', () => {
  // 64 channels of 3×3, each different: channel k holds sin(k + 3y + x·k / 7).
  const input = activation(3, 3, 64, (k, y, x) => Math.sin(k + 3 * y + (x * k) / 7));

  it('makes one 42 px panel per channel (3 × 14), 16 a row, titled with the layer and shape', () => {
    const fig = activationFigure(input, { layer: 'conv2d_3' });
    expect(fig.panels).toHaveLength(64);
    expect(fig.columns).toBe(16);
    for (const panel of fig.panels) expect(panel.image.shape).toEqual([42, 42, 4]);
    expect(fig.title).toContain('conv2d_3');
    expect(fig.title).toContain('3×3×64');
    expect(fig.colorbar).toMatchObject({ colormap: 'viridis', low: -2, high: 2 });
    expect(fig.outline).toBe(false);
    const root = parseSvg(figureToSvg(fig));
    expect(texts(root, 'figure-title')).toEqual([fig.title]);
    expect(texts(root, 'tick')).toEqual(['2', '0', '−2']);
    expect(byTag(root, 'image')).toHaveLength(64);
    expect(byTag(root, 'g', 'colorbar')).toHaveLength(1);
  });

  it("colours each panel as activationGrid's cell for that channel, upscaled", () => {
    const fig = activationFigure(input);
    const grid = activationGrid(input);
    expect(grid.shape).toEqual([12, 48, 4]);
    for (let k = 0; k < 64; k++) {
      const top = Math.floor(k / 16) * 3;
      const left = (k % 16) * 3;
      const expected = makeImage(42, 42, (y, x) =>
        px(grid, top + Math.floor(y / 14), left + Math.floor(x / 14)),
      );
      expect(firstDifference(fig.panels[k]?.image ?? grid, expected)).toBeUndefined();
    }
    // Different channels really differ: the comparison is not of uniform panels.
    expect(px(fig.panels[1]?.image ?? grid, 0, 0)).not.toEqual(
      px(fig.panels[2]?.image ?? grid, 0, 0),
    );
  });

  it('follows imagesPerRow, colormap and minCell, and names only the shape without a layer', () => {
    const small = activation(26, 26, 4, (k, y, x) => k * y - x);
    const fig = activationFigure(small, { imagesPerRow: 2, colormap: 'magma', minCell: 52 });
    expect(fig.columns).toBe(2);
    expect(fig.title).toBe('26×26×4');
    expect(fig.panels[0]?.image.shape).toEqual([52, 52, 4]);
    const grid = activationGrid(small, { imagesPerRow: 2, colormap: 'magma' });
    // Channel 3: row 1, column 1 of the grid; its pixel (5, 7) is the panel's block at (10, 14).
    expect(px(fig.panels[3]?.image ?? grid, 11, 15)).toEqual(px(grid, 26 + 5, 26 + 7));
    expect(() => activationFigure({ data: new Float32Array(4), shape: [2, 2, 1] })).toThrow(
      VizError,
    );
  });
});
