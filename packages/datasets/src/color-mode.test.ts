import { describe, expect, it } from 'vitest';
import { toColorMode } from './color-mode.js';
import { DatasetError } from './errors.js';

// Pillow agreement over whole pictures is in decode-image.test.ts; these pin the rules.
describe('toColorMode', () => {
  const pixels = (c: number, ...values: number[]) => ({
    data: Uint8Array.from(values),
    shape: [1, values.length / c, c],
  });

  it('turns colour into grey with ITU-R 601 luma in 16-bit fixed point, as Pillow', () => {
    const rgb = pixels(3, 255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 10, 20, 30);
    // 0.299·255, 0.587·255, 0.114·255 rounded; white stays white.
    expect(Array.from(toColorMode(rgb, 'grayscale').data)).toEqual([76, 150, 29, 255, 18]);
    const rgba = pixels(4, 255, 0, 0, 0, 0, 0, 255, 7);
    expect(Array.from(toColorMode(rgba, 'grayscale').data)).toEqual([76, 29]);
  });

  it('copies grey into colour, keeps or adds alpha, and drops it without compositing', () => {
    expect(Array.from(toColorMode(pixels(1, 9, 200), 'rgb').data)).toEqual([
      9, 9, 9, 200, 200, 200,
    ]);
    expect(Array.from(toColorMode(pixels(2, 9, 100), 'rgba').data)).toEqual([9, 9, 9, 100]);
    expect(Array.from(toColorMode(pixels(3, 1, 2, 3), 'rgba').data)).toEqual([1, 2, 3, 255]);
    expect(Array.from(toColorMode(pixels(4, 1, 2, 3, 0), 'rgb').data)).toEqual([1, 2, 3]);
    expect(Array.from(toColorMode(pixels(2, 9, 0), 'grayscale').data)).toEqual([9]);
    expect(toColorMode(pixels(1, 5), 'grayscale').shape).toEqual([1, 1, 1]);
  });

  it('returns the same bytes when the channels already fit', () => {
    const rgb = pixels(3, 1, 2, 3);
    expect(toColorMode(rgb, 'rgb').data).toBe(rgb.data);
  });

  it('names a bad mode or shape', () => {
    expect(() => toColorMode(pixels(3, 1, 2, 3), 'hsv' as never)).toThrow(
      /toColorMode: mode must be 'grayscale', 'rgb' or 'rgba', got "hsv"/,
    );
    expect(() => toColorMode({ data: new Uint8Array(5), shape: [1, 1, 5] }, 'rgb')).toThrow(
      DatasetError,
    );
  });
});
