import { describe, expect, it } from 'vitest';
import { sizeOf } from './image.js';

describe('sizeOf', () => {
  it('multiplies the dimensions of a shape', () => {
    expect(sizeOf([28, 28])).toBe(784);
    expect(sizeOf([2, 28, 28, 1])).toBe(1568);
    expect(sizeOf([5, 0, 3])).toBe(0);
    expect(sizeOf([])).toBe(1);
  });
});
