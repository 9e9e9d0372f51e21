import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { activationGrid } from '../activation-grid.js';
import { decodePng } from './png.js';
import { titledSvg } from './titled-svg.js';

describe('titledSvg', () => {
  it('puts the title in SVG text and the same pixels in the embedded PNG', () => {
    const data = new Float32Array(3 * 3 * 4).map((_, i) => i % 5);
    const grid = activationGrid({ data, shape: [1, 3, 3, 4] }, { imagesPerRow: 2 });
    const svg = titledSvg(grid, 'conv2d_1 <32>', { scale: 2 });
    expect(XMLValidator.validate(svg)).toBe(true);
    const root = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(svg);
    expect(root.svg.text['#text']).toBe('conv2d_1 <32>');
    expect(root.svg['@width']).toBe('12');
    const href = String(root.svg.image['@href']);
    const back = decodePng(Buffer.from(href.replace(/^data:image\/png;base64,/, ''), 'base64'));
    expect(back.shape).toEqual([6, 6, 4]);
    expect(Array.from(back.data)).toEqual(Array.from(grid.data));
  });
});
