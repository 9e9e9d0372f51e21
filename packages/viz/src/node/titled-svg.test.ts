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
  px,
  texts,
} from '../../test/svg-parts.js';
import { activationGrid } from '../activation-grid.js';
import { VizError } from '../errors.js';
import { titledSvg, writeTitledSvg } from './titled-svg.js';

const dir = mkdtempSync(join(tmpdir(), 'cnnlab-viz-titled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const grid = () => {
  const data = new Float32Array(3 * 3 * 4).map((_, i) => i % 5);
  return activationGrid({ data, shape: [1, 3, 3, 4] }, { imagesPerRow: 2 });
};

describe('titledSvg', () => {
  it('puts the title in SVG text and the upscaled pixels in the embedded PNG', () => {
    const image = grid();
    expect(image.shape).toEqual([6, 6, 4]);
    const root = parseSvg(titledSvg(image, 'conv2d_1 <32>', { scale: 2 }));
    expect(texts(root, 'panel-title')).toEqual(['conv2d_1 <32>']);
    const images = byTag(root, 'image');
    expect(images).toHaveLength(1);
    const el = images[0] as El;
    expect([el.attrs.width, el.attrs.height]).toEqual(['12', '12']);
    // Each source pixel a 2×2 block, computed here by hand.
    const expected = makeImage(12, 12, (y, x) => px(image, Math.floor(y / 2), Math.floor(x / 2)));
    expect(firstDifference(imagePixels(el), expected)).toBeUndefined();
    // The title sits above the image, centred on it.
    const title = byTag(root, 'text', 'panel-title')[0] as El;
    expect(Number(title.attrs.y)).toBeLessThan(Number(el.attrs.y));
    expect(Number(title.attrs.x)).toBe(Number(el.attrs.x) + 6);
    expect(Number(root.attrs.width)).toBeGreaterThanOrEqual(Number(el.attrs.x) + 12);
  });

  it('draws grey values at scale 1 by default', () => {
    const root = parseSvg(
      titledSvg({ data: new Uint8Array([0, 128, 255, 7]), shape: [2, 2] }, 'g'),
    );
    const el = byTag(root, 'image')[0] as El;
    expect([el.attrs.width, el.attrs.height]).toEqual(['2', '2']);
    const back = imagePixels(el);
    expect(px(back, 0, 1)).toEqual([128, 128, 128, 255]);
    expect(px(back, 1, 0)).toEqual([255, 255, 255, 255]);
    expect(px(back, 1, 1)).toEqual([7, 7, 7, 255]);
  });

  it('rejects a scale that is not a positive integer', () => {
    expect(() => titledSvg(grid(), 't', { scale: 0 })).toThrow(VizError);
  });

  it('writeTitledSvg writes the same document, and names the path it cannot write', async () => {
    const file = join(dir, 'grid.svg');
    await writeTitledSvg(grid(), 'layer & co', file, { scale: 3 });
    const root = parseSvg(readFileSync(file, 'utf8'));
    expect(texts(root, 'panel-title')).toEqual(['layer & co']);
    expect(byTag(root, 'image')[0]?.attrs.width).toBe('18');
    const bad = join(dir, 'nope', 'grid.svg');
    await expect(writeTitledSvg(grid(), 't', bad)).rejects.toThrow(bad);
  });
});
