import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  byTag,
  type El,
  firstDifference,
  imagePixels,
  makeImage,
  parseSvg,
  texts,
} from '../../test/svg-parts.js';
import { VizError } from '../errors.js';
import { figure, figureImage, figureSvg } from '../figure.js';
import type { RgbaImage } from '../image.js';
import { figureToSvg, pngDataUri, writeFigure } from './figure-file.js';
import { decodePng } from './png.js';

const dir = mkdtempSync(join(tmpdir(), 'cnnlab-viz-figure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Pixels that differ everywhere, some see-through: the PNG must carry them all, alpha too. */
const pattern = (h: number, w: number, seed: number): RgbaImage =>
  makeImage(h, w, (y, x) => [
    (y * 17 + seed) % 256,
    (x * 29 + seed) % 256,
    (y * x) % 256,
    x === 0 ? 0 : 255 - y,
  ]);

const sample = () =>
  figure(
    [
      { title: 'Original & <raw>', image: pattern(12, 10, 1) },
      {
        title: 'Smoothed',
        image: pattern(14, 14, 2),
        colorbar: { colormap: 'gray', low: -2, high: 2 },
      },
      { image: pattern(5, 9, 3), frame: 'rgb(220,0,0)' },
    ],
    { columns: 2, title: 'Sample', caption: 'A caption.' },
  );

describe('pngDataUri', () => {
  it('is a PNG data: URI that decodes to the same pixels', () => {
    const image = pattern(3, 4, 9);
    const uri = pngDataUri(image);
    expect(uri.startsWith('data:image/png;base64,')).toBe(true);
    const back = decodePng(Buffer.from(uri.slice('data:image/png;base64,'.length), 'base64'));
    expect(firstDifference(back, image)).toBeUndefined();
  });
});

describe('figureToSvg', () => {
  it('embeds each panel as a PNG of exactly its pixels, drawn at its size', () => {
    const fig = sample();
    const root = parseSvg(figureToSvg(fig));
    const images = byTag(root, 'image');
    expect(images).toHaveLength(3);
    for (const [i, el] of images.entries()) {
      const panel = fig.panels[i]?.image as RgbaImage;
      expect([Number(el.attrs.height), Number(el.attrs.width)]).toEqual(panel.shape.slice(0, 2));
      expect(firstDifference(imagePixels(el), panel)).toBeUndefined();
    }
    expect(texts(root, 'panel-title')).toEqual(['Original & <raw>', 'Smoothed']);
    expect(texts(root, 'tick')).toEqual(['2', '0', '−2']);
    expect(texts(root, 'caption')).toEqual(['A caption.']);
    expect(byTag(root, 'rect', 'frame').map((r) => r.attrs.stroke)).toEqual(['rgb(220,0,0)']);
  });

  it('is figureSvg with PNG data URIs', () => {
    const fig = sample();
    const strip = (svg: string) => svg.replace(/cb\d+/g, 'cb');
    expect(strip(figureToSvg(fig))).toBe(strip(figureSvg(fig, { imageHref: pngDataUri })));
  });

  it('draws several figures side by side', () => {
    const a = sample();
    const b = figure([{ title: 'B', image: pattern(30, 20, 4) }]);
    const width = (svg: string) => Number(parseSvg(svg).attrs.width);
    const both = parseSvg(figureToSvg([a, b]));
    expect(Number(both.attrs.width)).toBe(width(figureToSvg(a)) + width(figureToSvg(b)));
    const last = byTag(both, 'image').at(-1) as El;
    expect(firstDifference(imagePixels(last), b.panels[0]?.image as RgbaImage)).toBeUndefined();
  });

  it('figureSvg alone, in Node, names imageHref as what is missing', () => {
    let error: unknown;
    try {
      figureSvg(sample());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VizError);
    expect((error as Error).message).toContain('imageHref');
  });
});

describe('writeFigure', () => {
  it('writes .svg: the titles as text, the panels as PNGs', async () => {
    const fig = sample();
    const file = join(dir, 'sample.svg');
    await writeFigure(fig, file);
    const root = parseSvg(readFileSync(file, 'utf8'));
    expect(texts(root, 'figure-title')).toEqual(['Sample']);
    const first = byTag(root, 'image')[0] as El;
    expect(firstDifference(imagePixels(first), fig.panels[0]?.image as RgbaImage)).toBeUndefined();
  });

  it("writes .png: the figure's panels on white, as figureImage", async () => {
    const fig = sample();
    for (const name of ['sample.png', 'SAMPLE-UPPER.PNG']) {
      const file = join(dir, name);
      await writeFigure(fig, file);
      const back = decodePng(readFileSync(file));
      expect(firstDifference(back, figureImage(fig))).toBeUndefined();
    }
    // A list of one is that figure.
    const single = join(dir, 'single.png');
    await writeFigure([fig], single);
    expect(firstDifference(decodePng(readFileSync(single)), figureImage(fig))).toBeUndefined();
  });

  it('rejects another extension, naming the path', async () => {
    const file = join(dir, 'sample.jpg');
    await expect(writeFigure(sample(), file)).rejects.toThrow(VizError);
    await expect(writeFigure(sample(), file)).rejects.toThrow(file);
    await expect(writeFigure(sample(), join(dir, 'noext'))).rejects.toThrow(VizError);
  });

  it('rejects several figures to one PNG, naming the path', async () => {
    const file = join(dir, 'two.png');
    await expect(writeFigure([sample(), sample()], file)).rejects.toThrow(VizError);
    await expect(writeFigure([sample(), sample()], file)).rejects.toThrow(file);
  });

  it('names the path it cannot write', async () => {
    const file = join(dir, 'missing', 'sample.svg');
    await expect(writeFigure(sample(), file)).rejects.toThrow(VizError);
    await expect(writeFigure(sample(), file)).rejects.toThrow(file);
  });
});
