import {
  interpolateCividis,
  interpolateGreys,
  interpolateInferno,
  interpolateMagma,
  interpolatePlasma,
  interpolateViridis,
} from 'd3-scale-chromatic';
import { describe, expect, it } from 'vitest';
import { applyColormap, COLORMAP_NAMES, colormap } from './colormap.js';
import { VizError } from './errors.js';

const hex = (table: Uint8ClampedArray, i: number) =>
  `#${Array.from(table.subarray(i * 4, i * 4 + 3), (v) => v.toString(16).padStart(2, '0')).join('')}`;

describe('colormap', () => {
  it('matches the published viridis end points and middle', () => {
    const table = colormap('viridis');
    expect(table.length).toBe(1024);
    expect(hex(table, 0)).toBe('#440154');
    expect(hex(table, 255)).toBe('#fde725');
    expect(hex(table, 128)).toBe('#21918c');
    expect(table[3]).toBe(255);
  });

  it('knows the other maps', () => {
    expect(hex(colormap('magma'), 0)).toBe('#000004');
    expect(hex(colormap('inferno'), 255)).toBe('#fcffa4');
    expect(hex(colormap('plasma'), 0)).toBe('#0d0887');
    expect(hex(colormap('cividis'), 0)).toBe('#002051');
    expect(hex(colormap('greys'), 0)).toBe('#ffffff');
    expect(hex(colormap('greys'), 255)).toBe('#000000');
    expect(hex(colormap('gray'), 128)).toBe('#808080');
    expect(COLORMAP_NAMES.length).toBe(7);
  });

  it('holds, at every entry of every map, the colour d3-scale-chromatic computes', () => {
    // The shipped tables are generated from d3 (scripts/colormap-tables.mjs); d3 is only a
    // devDependency, so this is the check that they still agree.
    const d3: Record<string, (t: number) => string> = {
      viridis: interpolateViridis,
      magma: interpolateMagma,
      inferno: interpolateInferno,
      plasma: interpolatePlasma,
      cividis: interpolateCividis,
      greys: interpolateGreys,
    };
    const css = (color: string) => {
      if (color.startsWith('#')) return color;
      const [r, g, b] = (color.match(/\d+/g) ?? []).map(Number);
      return `#${[r, g, b].map((v) => (v ?? 0).toString(16).padStart(2, '0')).join('')}`;
    };
    for (const [name, interpolate] of Object.entries(d3)) {
      const table = colormap(name);
      for (let i = 0; i < 256; i++)
        expect(hex(table, i), `${name}[${i}]`).toBe(css(interpolate(i / 255)));
    }
  });

  it('rejects an unknown name with a VizError listing the known ones', () => {
    expect(() => colormap('jet')).toThrow(VizError);
    expect(() => colormap('jet')).toThrow(/viridis, magma/);
  });
});

describe('applyColormap', () => {
  it('looks every grey value up in the table', () => {
    const out = applyColormap({ data: new Float32Array([0, 128, 255, 300]), shape: [2, 2] });
    expect(out.shape).toEqual([2, 2, 4]);
    expect(Array.from(out.data)).toEqual([
      0x44, 0x01, 0x54, 255, 0x21, 0x91, 0x8c, 255, 0xfd, 0xe7, 0x25, 255, 0xfd, 0xe7, 0x25, 255,
    ]);
  });

  it('rejects more than one channel', () => {
    expect(() => applyColormap({ data: new Uint8Array(12), shape: [2, 2, 3] })).toThrow(VizError);
  });
});
