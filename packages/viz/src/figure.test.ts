import { describe, expect, it } from 'vitest';
import {
  byTag,
  type El,
  findAll,
  firstDifference,
  hasClass,
  makeImage,
  parseSvg,
  px,
  texts,
} from '../test/svg-parts.js';
import { VizError } from './errors.js';
import {
  escapeXml,
  type Figure,
  type FigurePanel,
  figure,
  figureImage,
  figureSvg,
  formatTick,
  scaleFor,
  upscale,
} from './figure.js';
import type { RgbaImage } from './image.js';

/** An h×w image whose pixel (y, x) is [y, x, seed, 255]: every pixel tells where it came from. */
const tagged = (h: number, w: number, seed = 7): RgbaImage =>
  makeImage(h, w, (y, x) => [y, x, seed, 255]);

/** An h×w image of one colour. */
const solid = (h: number, w: number, rgba: readonly number[]): RgbaImage =>
  makeImage(h, w, () => rgba);

/** figureSvg with an imageHref that records which image each href stands for. */
function svgOf(figures: Figure | readonly Figure[]) {
  const seen: RgbaImage[] = [];
  const svg = figureSvg(figures, {
    imageHref: (image) => {
      seen.push(image);
      return `#image-${seen.length - 1}`;
    },
  });
  const root = parseSvg(svg);
  const imageOf = (el: El) => seen[Number((el.attrs.href ?? '').replace('#image-', ''))];
  return { svg, root, seen, imageOf };
}

const num = (el: El, name: string) => Number(el.attrs[name]);
const panels = (root: El) => byTag(root, 'g', 'panel');

describe('upscale', () => {
  it('turns every pixel into a factor × factor block (nearest neighbour)', () => {
    const image = tagged(2, 3);
    const big = upscale(image, 4);
    expect(big.shape).toEqual([8, 12, 4]);
    const expected = makeImage(8, 12, (y, x) => px(image, Math.floor(y / 4), Math.floor(x / 4)));
    expect(firstDifference(big, expected)).toBeUndefined();
    // Block edges: (3, 3) is still source (0, 0), (4, 4) already source (1, 1).
    expect(px(big, 3, 3)).toEqual([0, 0, 7, 255]);
    expect(px(big, 4, 4)).toEqual([1, 1, 7, 255]);
    expect(px(big, 7, 11)).toEqual([1, 2, 7, 255]);
  });

  it('returns the same image for factor 1', () => {
    const image = tagged(2, 2);
    expect(upscale(image, 1)).toBe(image);
  });

  it.each([0, -2, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects factor %s', (factor) => {
    expect(() => upscale(tagged(2, 2), factor)).toThrow(VizError);
  });
});

describe('scaleFor', () => {
  it('is the smallest whole number bringing a side to at least the target', () => {
    expect(scaleFor(28, 140)).toBe(5);
    expect(scaleFor(3, 40)).toBe(14);
    expect(scaleFor(30, 140)).toBe(5); // 150, since ×4 would be 120
    expect(scaleFor(3, 36)).toBe(12);
    expect(scaleFor(200, 140)).toBe(1);
    expect(scaleFor(0, 140)).toBe(1);
  });
});

describe('formatTick', () => {
  it('keeps three significant digits and drops trailing zeros', () => {
    expect(formatTick(0.123456)).toBe('0.123');
    expect(formatTick(2)).toBe('2');
    expect(formatTick(0.5)).toBe('0.5');
    expect(formatTick(1 / 9)).toBe('0.111');
    expect(formatTick(1234.5)).toBe('1230');
    expect(formatTick(0)).toBe('0');
    expect(formatTick(0.001)).toBe('0.001');
  });

  it('writes a true minus sign, not a hyphen', () => {
    expect(formatTick(-1.5)).toBe('−1.5');
    expect(formatTick(-0.25)).toBe('−0.25');
    expect(formatTick(-1.5)).not.toContain('-');
  });

  it('uses an exponent for tiny and huge values, every minus a true one', () => {
    expect(formatTick(0.00012)).toBe('1.2e−4');
    expect(formatTick(12345)).toBe('1.2e+4');
    expect(formatTick(-12345)).toBe('−1.2e+4');
    // Both minus signs of a negative tiny value: the mantissa's and the exponent's.
    expect(formatTick(-0.00012)).toBe('−1.2e−4');
  });
});

describe('escapeXml', () => {
  it('escapes the five XML specials and nothing else', () => {
    expect(escapeXml(`a<b>&'"z`)).toBe('a&lt;b&gt;&amp;&apos;&quot;z');
    expect(escapeXml('conv2d_1 · 3×3 − ok')).toBe('conv2d_1 · 3×3 − ok');
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });
});

describe('figure', () => {
  it('rejects an empty list and columns that are not a positive integer', () => {
    expect(() => figure([])).toThrow(VizError);
    for (const columns of [0, -1, 1.5, Number.NaN]) {
      expect(() => figure([{ image: tagged(2, 2) }], { columns })).toThrow(VizError);
    }
  });

  it('keeps its options and puts up to 4 panels in a row by default', () => {
    const list = Array.from({ length: 6 }, () => ({ image: tagged(2, 2) }));
    expect(figure(list).columns).toBe(4);
    expect(figure(list.slice(0, 3)).columns).toBe(3);
    const fig = figure(list, { columns: 2, title: 'T', gap: 3, outline: false });
    expect(fig).toMatchObject({ columns: 2, title: 'T', gap: 3, outline: false });
    expect(fig.panels).toBe(list);
  });
});

describe('figureImage', () => {
  it('centres each panel in its cell on white paper, transparent pixels white', () => {
    // Cells are 4×4 (the largest panel), 3 px apart, two a row: 11×11 in all.
    const a = makeImage(2, 2, (y, x) => (y === 1 && x === 1 ? [9, 9, 9, 0] : [200, 0, 0, 255]));
    const b = tagged(4, 4, 50);
    const c = solid(1, 3, [0, 255, 0, 128]);
    const out = figureImage(
      figure([{ image: a }, { image: b }, { image: c }], { columns: 2, gap: 3 }),
    );
    // The reference, placed by hand: a at (1, 1), b at (0, 7), c at (8, 0).
    const expected = makeImage(11, 11, (y, x) => {
      if (y >= 1 && y < 3 && x >= 1 && x < 3) {
        return y === 2 && x === 2 ? [255, 255, 255, 255] : [200, 0, 0, 255];
      }
      if (y < 4 && x >= 7) return [y, x - 7, 50, 255];
      // Half transparent green over white: 0·a + 255·(1 − a) = 127 for a = 128/255.
      if (y === 8 && x < 3) return [127, 255, 127, 255];
      return [255, 255, 255, 255];
    });
    expect(firstDifference(out, expected)).toBeUndefined();
  });

  it('uses the figure gap, 12 by default', () => {
    const list = [{ image: solid(2, 2, [0, 0, 0, 255]) }, { image: solid(2, 2, [0, 0, 0, 255]) }];
    expect(figureImage(figure(list, { columns: 2 })).shape).toEqual([2, 2 + 12 + 2, 4]);
    expect(figureImage(figure(list, { columns: 1, gap: 1 })).shape).toEqual([5, 2, 4]);
    const out = figureImage(figure(list, { columns: 2 }));
    expect(px(out, 0, 1)).toEqual([0, 0, 0, 255]);
    expect(px(out, 0, 2)).toEqual([255, 255, 255, 255]);
    expect(px(out, 0, 13)).toEqual([255, 255, 255, 255]);
    expect(px(out, 0, 14)).toEqual([0, 0, 0, 255]);
  });
});

describe('figureSvg', () => {
  const twoPanels = () =>
    figure(
      [
        {
          title: 'Original',
          image: tagged(20, 30, 1),
          colorbar: { colormap: 'gray', low: -1.5, high: 3 },
        },
        { title: 'Smoothed', image: tagged(24, 24, 2) },
        { image: tagged(10, 10, 3) },
      ],
      { columns: 2, title: 'Filters', caption: 'Each panel on its own scale.' },
    );

  it('is well-formed XML on white paper, with the figure title as text and as its label', () => {
    const { root } = svgOf(twoPanels());
    expect(root.tag).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    const width = num(root, 'width');
    const height = num(root, 'height');
    expect(root.attrs.viewBox).toBe(`0 0 ${width} ${height}`);
    const paper = root.children.find((e) => e.tag === 'rect');
    expect(paper?.attrs).toMatchObject({
      width: String(width),
      height: String(height),
      fill: '#fff',
    });
    expect(texts(root, 'figure-title')).toEqual(['Filters']);
    expect(root.attrs['aria-label']).toBe('Filters');
    expect(root.children.find((e) => e.tag === 'title')?.text).toBe('Filters');
  });

  it('titles each titled panel once, and draws each image at its own size', () => {
    const fig = twoPanels();
    const { root, seen, imageOf } = svgOf(fig);
    expect(texts(root, 'panel-title')).toEqual(['Original', 'Smoothed']);
    const images = byTag(root, 'image');
    expect(images).toHaveLength(3);
    expect(seen).toHaveLength(3);
    for (const [i, el] of images.entries()) {
      // The href stands for this very panel's pixels, drawn 1:1.
      expect(imageOf(el)).toBe(fig.panels[i]?.image);
      const [h, w] = fig.panels[i]?.image.shape ?? [];
      expect([num(el, 'height'), num(el, 'width')]).toEqual([h, w]);
      expect(el.attrs['image-rendering']).toBe('pixelated');
    }
  });

  it('places each title centred over its image, every image inside the page, none overlapping', () => {
    const { root } = svgOf(twoPanels());
    const boxes = panels(root).map((panel) => {
      const image = byTag(panel, 'image')[0] as El;
      const box = {
        x: num(image, 'x'),
        y: num(image, 'y'),
        w: num(image, 'width'),
        h: num(image, 'height'),
      };
      const title = byTag(panel, 'text', 'panel-title')[0];
      if (title) {
        // Centred over its image when the image is wider; otherwise kept inside the page.
        const half = Math.ceil((title.text ?? '').length * 14 * 0.6) / 2;
        if (2 * half <= box.w) expect(num(title, 'x')).toBe(box.x + box.w / 2);
        expect(num(title, 'x') - half).toBeGreaterThanOrEqual(0);
        expect(num(title, 'x') + half).toBeLessThanOrEqual(num(root, 'width'));
        expect(num(title, 'y')).toBeLessThan(box.y);
      }
      return box;
    });
    for (const b of boxes) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeGreaterThanOrEqual(0);
      expect(b.x + b.w).toBeLessThanOrEqual(num(root, 'width'));
      expect(b.y + b.h).toBeLessThanOrEqual(num(root, 'height'));
    }
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        expect(apart).toBe(true);
      }
    }
    // Two a row: the third panel sits under the first.
    expect(boxes[2]?.y).toBeGreaterThanOrEqual((boxes[0]?.y ?? 0) + (boxes[0]?.h ?? 0));
  });

  it('lays equal panels out on a 12 px pad, `gap` apart, rows under a title', () => {
    const list = Array.from({ length: 4 }, () => ({ image: tagged(10, 10) }));
    const at = (fig: Figure) => {
      const { root } = svgOf(fig);
      return {
        size: [num(root, 'width'), num(root, 'height')],
        xy: byTag(root, 'image').map((i) => [num(i, 'x'), num(i, 'y')]),
      };
    };
    // 3 a row: 12 + 10 + 12 + 10 + 12 + 10 + 12 wide; two rows.
    expect(at(figure(list, { columns: 3 }))).toEqual({
      size: [78, 56],
      xy: [
        [12, 12],
        [34, 12],
        [56, 12],
        [12, 34],
      ],
    });
    // A figure title adds 30 px above the grid; gap 2 packs the panels.
    const titled = at(figure(list, { columns: 4, gap: 2, title: 'T' }));
    expect(titled.xy).toEqual([
      [12, 42],
      [24, 42],
      [36, 42],
      [48, 42],
    ]);
    expect(titled.size).toEqual([24 + 46, 24 + 30 + 10]);
  });

  it('round-trips titles with XML specials', () => {
    const title = `a<b & "c" 'd' >`;
    const { svg, root } = svgOf(figure([{ title, image: tagged(2, 2) }], { title }));
    expect(svg).not.toContain('a<b');
    expect(texts(root, 'panel-title')).toEqual([title]);
    expect(texts(root, 'figure-title')).toEqual([title]);
    expect(root.attrs['aria-label']).toBe(title);
  });

  it('ticks a panel colour bar low, middle and high, its gradient the colormap', () => {
    const { root } = svgOf(twoPanels());
    const bars = byTag(root, 'g', 'colorbar');
    expect(bars).toHaveLength(1);
    const bar = bars[0] as El;
    // Inside the first panel's group.
    expect(bar.parent && hasClass(bar.parent, 'panel')).toBe(true);
    expect(bar.parent?.attrs['data-index']).toBe('0');
    expect(bar.attrs['data-low']).toBe('-1.5');
    expect(bar.attrs['data-high']).toBe('3');
    expect(texts(bar, 'tick')).toEqual(['3', '0.75', '−1.5']);
    const stops = byTag(bar, 'stop');
    expect(stops).toHaveLength(11);
    expect(stops[0]?.attrs['stop-color']).toBe('rgb(0,0,0)');
    expect(stops[10]?.attrs['stop-color']).toBe('rgb(255,255,255)');
    // Beside the image, as high as it.
    const image = byTag(bar.parent as El, 'image')[0] as El;
    const rect = byTag(bar, 'rect')[0] as El;
    expect(num(rect, 'x')).toBeGreaterThanOrEqual(num(image, 'x') + num(image, 'width'));
    expect(num(rect, 'height')).toBe(num(image, 'height'));
  });

  it('draws one figure colour bar beside the grid, with its label', () => {
    const fig = figure([{ image: tagged(4, 4) }, { image: tagged(4, 4) }], {
      columns: 2,
      colorbar: { colormap: 'greys', low: -0.5, high: 0.5, label: 'weight' },
    });
    const { root } = svgOf(fig);
    const bars = byTag(root, 'g', 'colorbar');
    expect(bars).toHaveLength(1);
    const bar = bars[0] as El;
    expect(
      findAll(root, (e) => hasClass(e, 'panel') && findAll(e, (c) => c === bar).length > 0),
    ).toEqual([]);
    expect(texts(bar, 'tick')).toEqual(['0.5', '0', '−0.5']);
    expect(texts(bar, 'colorbar-label')).toEqual(['weight']);
    // greys: white at the bottom (low), black at the top (high).
    const stops = byTag(bar, 'stop');
    expect(stops[0]?.attrs['stop-color']).toBe('rgb(255,255,255)');
    expect(stops[10]?.attrs['stop-color']).toBe('rgb(0,0,0)');
    const rightmost = Math.max(...byTag(root, 'image').map((i) => num(i, 'x') + num(i, 'width')));
    expect(num(byTag(bar, 'rect')[0] as El, 'x')).toBeGreaterThan(rightmost);
  });

  it('writes the caption under the panels, wrapped into lines', () => {
    const { root } = svgOf(twoPanels());
    expect(texts(root, 'caption')).toEqual(['Each panel on its own scale.']);
    const caption = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const long = svgOf(figure([{ image: tagged(4, 4) }], { caption })).root;
    const lines = texts(long, 'caption');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe(caption);
    const image = byTag(long, 'image')[0] as El;
    for (const line of byTag(long, 'text', 'caption')) {
      expect(num(line, 'y')).toBeGreaterThan(num(image, 'y') + num(image, 'height'));
      expect(num(line, 'y')).toBeLessThanOrEqual(num(long, 'height'));
    }
  });

  it('puts several figures side by side: widths add up, the tallest sets the height', () => {
    const a = twoPanels();
    const b = figure([{ title: 'Alone', image: tagged(60, 40) }]);
    const wa = num(svgOf(a).root, 'width');
    const wb = num(svgOf(b).root, 'width');
    const ha = num(svgOf(a).root, 'height');
    const hb = num(svgOf(b).root, 'height');
    const { root } = svgOf([a, b]);
    expect(num(root, 'width')).toBe(wa + wb);
    expect(num(root, 'height')).toBe(Math.max(ha, hb));
    const groups = byTag(root, 'g', 'figure');
    expect(groups.map((g) => g.attrs.transform)).toEqual(['translate(0 0)', `translate(${wa} 0)`]);
    expect(texts(root, 'panel-title')).toEqual(['Original', 'Smoothed', 'Alone']);
    expect(root.attrs['aria-label']).toBe('Filters');
  });

  it('gives every gradient its own id, and every fill refers to one', () => {
    const fig = figure(
      [
        { image: tagged(4, 4), colorbar: { colormap: 'gray', low: 0, high: 1 } },
        { image: tagged(4, 4), colorbar: { colormap: 'viridis', low: 0, high: 2 } },
      ],
      { colorbar: { colormap: 'gray', low: 0, high: 1 } },
    );
    const { root } = svgOf([fig, fig]);
    const ids = byTag(root, 'linearGradient').map((g) => g.attrs.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    const refs = findAll(root, (e) => (e.attrs.fill ?? '').startsWith('url(#'));
    expect(refs.map((e) => e.attrs.fill?.slice(5, -1)).sort()).toEqual([...ids].sort());
  });

  it('outlines each unframed panel by default, not with outline: false', () => {
    const list: FigurePanel[] = [{ image: tagged(5, 6) }, { image: tagged(5, 6) }];
    const { root } = svgOf(figure(list));
    const outlines = byTag(root, 'rect', 'outline');
    expect(outlines).toHaveLength(2);
    const image = byTag(root, 'image')[0] as El;
    expect(outlines[0]?.attrs).toMatchObject({
      x: String(num(image, 'x') - 0.5),
      y: String(num(image, 'y') - 0.5),
      width: '7',
      height: '6',
      fill: 'none',
    });
    expect(byTag(svgOf(figure(list, { outline: false })).root, 'rect', 'outline')).toHaveLength(0);
  });

  it('frames a panel in its colour instead of the outline', () => {
    const list: FigurePanel[] = [
      { image: tagged(5, 5), frame: 'rgb(0,170,0)' },
      { image: tagged(5, 5), frame: 'rgb(220,0,0)' },
      { image: tagged(5, 5) },
    ];
    const { root } = svgOf(figure(list, { columns: 3 }));
    const frames = byTag(root, 'rect', 'frame');
    expect(frames.map((f) => f.attrs.stroke)).toEqual(['rgb(0,170,0)', 'rgb(220,0,0)']);
    expect(frames.map((f) => f.parent?.attrs['data-index'])).toEqual(['0', '1']);
    expect(byTag(root, 'rect', 'outline').map((r) => r.parent?.attrs['data-index'])).toEqual(['2']);
    // The frame surrounds its image.
    const image = byTag(frames[0]?.parent as El, 'image')[0] as El;
    const f = frames[0] as El;
    expect(num(f, 'x')).toBeLessThan(num(image, 'x'));
    expect(num(f, 'x') + num(f, 'width')).toBeGreaterThan(num(image, 'x') + num(image, 'width'));
  });

  it('writes cell text over the cells, black on light and white on dark', () => {
    // Two 10×10 cells: dark on the left, light on the right.
    const image = makeImage(10, 20, (_, x) => (x < 10 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
    const { root } = svgOf(
      figure([{ image, cellText: { rows: 1, cols: 2, text: ['−1', '0.5'] } }]),
    );
    const cells = byTag(root, 'text', 'cell-text');
    expect(cells.map((c) => c.text)).toEqual(['−1', '0.5']);
    expect(cells.map((c) => c.attrs.fill)).toEqual(['#fff', '#000']);
    const x0 = num(byTag(root, 'image')[0] as El, 'x');
    expect(cells.map((c) => num(c, 'x') - x0)).toEqual([5, 15]);
  });

  it('needs imageHref where there is no canvas (Node)', () => {
    const fig = figure([{ image: tagged(2, 2) }]);
    expect((globalThis as { document?: unknown }).document).toBeUndefined();
    expect(() => figureSvg(fig)).toThrow(VizError);
    expect(() => figureSvg(fig)).toThrow(/imageHref/);
  });

  it('rejects an empty list of figures', () => {
    expect(() => svgOf([])).toThrow(VizError);
  });
});

describe('titles and frames at the edges', () => {
  it('keeps a title wider than its panel and colour bar inside the page', () => {
    const title = 'a long panel title';
    const { root } = svgOf(
      figure(
        [
          {
            title,
            image: solid(10, 10, [0, 0, 0, 255]),
            colorbar: { colormap: 'gray', low: 0, high: 1 },
          },
        ],
        { columns: 1 },
      ),
    );
    const text = byTag(root, 'text', 'panel-title')[0] as El;
    const half = Math.ceil(title.length * 14 * 0.6) / 2;
    expect(num(text, 'x') - half).toBeGreaterThanOrEqual(0);
    expect(num(text, 'x') + half).toBeLessThanOrEqual(num(root, 'width'));
  });

  it('figureImage draws a frame in its colour around the image', () => {
    const fig = figure([{ image: solid(4, 4, [0, 0, 255, 255]), frame: 'rgb(0,170,0)' }], {
      columns: 1,
    });
    const out = figureImage(fig);
    // The cell is the image plus 3 px of frame on each side: 10×10, the image at (3, 3).
    expect(out.shape).toEqual([10, 10, 4]);
    const at = (y: number, x: number) =>
      Array.from(out.data.subarray((y * 10 + x) * 4, (y * 10 + x) * 4 + 4));
    expect(at(0, 0)).toEqual([0, 170, 0, 255]);
    expect(at(9, 5)).toEqual([0, 170, 0, 255]);
    expect(at(3, 3)).toEqual([0, 0, 255, 255]);
    expect(at(6, 6)).toEqual([0, 0, 255, 255]);
  });
});
