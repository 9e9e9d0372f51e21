import { describe, expect, it } from 'vitest';
import { toRgba } from './image.js';
import { toImageData } from './image-data.js';

describe('toImageData', () => {
  it('gives a plain ImageData-shaped object where the global is absent', () => {
    const out = toImageData({ data: new Uint8Array([0, 200]), shape: [1, 2] });
    expect(out.width).toBe(2);
    expect(out.height).toBe(1);
    expect(Array.from(out.data)).toEqual([0, 0, 0, 255, 200, 200, 200, 255]);
  });

  it('toRgba keeps alpha and fills it in for RGB', () => {
    expect(Array.from(toRgba({ data: [1, 2, 3, 4], shape: [1, 1, 4] }).data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(toRgba({ data: [1, 2, 3], shape: [1, 1, 3] }).data)).toEqual([1, 2, 3, 255]);
  });
});
