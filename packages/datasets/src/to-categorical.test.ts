import { describe, expect, it } from 'vitest';
import { DatasetError } from './errors.js';
import { toCategorical } from './to-categorical.js';

// The encoding itself is tested in @cnnlab/core; this checks the datasets wrapper.
describe('toCategorical', () => {
  it("is @cnnlab/core's one-hot encoding", () => {
    const { data, shape } = toCategorical(new Uint8Array([1, 0, 3]), 4);
    expect(shape).toEqual([3, 4]);
    expect(Array.from(data)).toEqual([0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('throws DatasetErrors naming the argument', () => {
    expect(() => toCategorical([0, 4], 4)).toThrow(DatasetError);
    expect(() => toCategorical([0, 4], 4)).toThrow(
      /labels\[1\] is 4; expected an integer in 0\.\.3/,
    );
    try {
      toCategorical([0], 0);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DatasetError);
      expect((error as DatasetError).source).toBe('numClasses');
      expect((error as DatasetError).message).toMatch(/numClasses must be a positive integer/);
    }
  });
});
