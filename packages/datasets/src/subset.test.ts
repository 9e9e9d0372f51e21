import { describe, expect, it } from 'vitest';
import { DatasetError } from './errors.js';
import { classCounts, subset } from './subset.js';

describe('classCounts checks its input', () => {
  it('rejects a label that is not a class index, naming it', () => {
    expect(() => classCounts([0.5])).toThrow(DatasetError);
    expect(() => classCounts([0.5])).toThrow(/labels\[0\] is 0\.5/);
    expect(() => classCounts([1, -1])).toThrow(/labels\[1\] is -1/);
    expect(() => classCounts([1, Number.NaN])).toThrow(/labels\[1\] is NaN/);
    expect(() => classCounts([3], 2)).toThrow(/labels\[0\] is 3; expected 0\.\.1/);
  });

  it('rejects a number of classes that is not a whole number', () => {
    expect(() => classCounts([1], 2.5)).toThrow(DatasetError);
    expect(() => classCounts([1], 2.5)).toThrow(/numClasses is 2\.5/);
    expect(() => classCounts([], -1)).toThrow(/numClasses is -1/);
  });

  it('still counts', () => {
    expect(classCounts([2, 0, 2])).toEqual([1, 0, 2]);
    expect(classCounts([], 3)).toEqual([0, 0, 0]);
    expect(classCounts([])).toEqual([]);
  });
});

describe('subset checks the images against their shape', () => {
  it('rejects data whose length does not match the shape', () => {
    const split = { images: { data: new Uint8Array(5), shape: [2, 2] }, labels: new Uint8Array(2) };
    expect(() => subset(split, [1])).toThrow(DatasetError);
    expect(() => subset(split, [1])).toThrow(
      /shape \[2, 2\] holds 4 values but images\.data has 5/,
    );
  });

  it('copies the samples of an empty batch shape', () => {
    const empty = {
      images: { data: new Uint8Array(0), shape: [0, 28, 28] },
      labels: new Uint8Array(0),
    };
    expect(subset(empty, []).images.shape).toEqual([0, 28, 28]);
  });
});
