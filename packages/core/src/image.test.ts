import { describe, expect, it } from 'vitest';
import { isIntegerArray, sizeOf } from './image.js';

describe('sizeOf', () => {
  it('multiplies the dimensions of a shape', () => {
    expect(sizeOf([28, 28])).toBe(784);
    expect(sizeOf([2, 28, 28, 1])).toBe(1568);
    expect(sizeOf([5, 0, 3])).toBe(0);
    expect(sizeOf([])).toBe(1);
  });
});

describe('isIntegerArray', () => {
  it('tells integer pixel arrays from float ones by their type, not their values', () => {
    expect(isIntegerArray(new Uint8Array([0, 1]))).toBe(true);
    expect(isIntegerArray(new Uint8ClampedArray(1))).toBe(true);
    expect(isIntegerArray(new Int32Array(1))).toBe(true);
    expect(isIntegerArray(Float32Array.of(255))).toBe(false);
    expect(isIntegerArray(new Float64Array(1))).toBe(false);
  });
});
