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

  it('toRgba clamps values to 0–255 by default, and stretches min–max to black–white with range', () => {
    const grey = { data: Float32Array.of(-2, 0, 2, 300), shape: [1, 4] };
    const channel = (image: { data: Uint8ClampedArray }) =>
      Array.from(image.data).filter((_, i) => i % 4 === 0);
    expect(channel(toRgba(grey))).toEqual([0, 0, 2, 255]);
    // (v + 2) · 255 / 302: a convolution's output, any sign, as the page shows it.
    expect(channel(toRgba(grey, { range: 'minmax' }))).toEqual([0, 2, 3, 255]);
    expect(channel(toRgba(grey, { range: [-2, 2] }))).toEqual([0, 128, 255, 255]);
    // A flat image is black, whatever its value; alpha stays opaque.
    const flat = toRgba({ data: [7, 7], shape: [1, 2] }, { range: 'minmax' });
    expect(Array.from(flat.data)).toEqual([0, 0, 0, 255, 0, 0, 0, 255]);
    // RGB: one span for the three channels.
    const rgb = toRgba({ data: [0, 5, 10], shape: [1, 1, 3] }, { range: 'minmax' });
    expect(Array.from(rgb.data)).toEqual([0, 128, 255, 255]);
  });
});
