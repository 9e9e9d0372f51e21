import { describe, expect, it } from 'vitest';
import { CoreError } from './errors.js';
import { toCategorical } from './to-categorical.js';

describe('toCategorical', () => {
  it('one-hot encodes like Keras', () => {
    const { data, shape } = toCategorical(new Uint8Array([1, 0, 3]), 4);
    expect(shape).toEqual([3, 4]);
    expect(Array.from(data)).toEqual([0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('infers the width from the largest label', () => {
    expect(toCategorical([2, 5]).shape).toEqual([2, 6]);
  });

  it('each row sums to one and its argmax is the label', () => {
    const labels = Array.from({ length: 50 }, (_, i) => (i * 7) % 10);
    const { data } = toCategorical(labels, 10);
    labels.forEach((label, i) => {
      const row = Array.from(data.subarray(i * 10, i * 10 + 10));
      expect(row.reduce((a, b) => a + b, 0)).toBe(1);
      expect(row.indexOf(1)).toBe(label);
    });
  });

  it('rejects labels outside the classes and bad widths', () => {
    expect(() => toCategorical([0, 4], 4)).toThrow(
      /labels\[1\] is 4; expected an integer in 0\.\.3/,
    );
    expect(() => toCategorical([0, -1], 4)).toThrow(/labels\[1\] is -1/);
    expect(() => toCategorical([0], 0)).toThrow(/numClasses must be a positive integer/);
    expect(() => toCategorical([0.5], 2)).toThrow(CoreError);
  });
});
