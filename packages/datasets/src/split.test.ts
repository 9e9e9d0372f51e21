import type { LabeledImages } from '@cnnlab/core';
import { permutation, seededRandom } from '@cnnlab/core';
import { describe, expect, it } from 'vitest';
import { randomSplit } from '../test/fixtures.js';
import { DatasetError } from './errors.js';
import { trainTestSplit, validationSplit } from './split.js';
import { classCounts, selectClasses, shuffle, subset } from './subset.js';

/** Tags each image with its index in its first pixel pair, so a sample can be traced after a split. */
function traced(n: number, k = 10): LabeledImages {
  const split = randomSplit(n, 4, 4, k, 9);
  for (let i = 0; i < n; i++) {
    split.images.data[i * 16] = i & 255;
    split.images.data[i * 16 + 1] = i >> 8;
  }
  return split;
}
const idOf = (s: LabeledImages, i: number) =>
  s.images.data[i * 16] + 256 * s.images.data[i * 16 + 1];
const ids = (s: LabeledImages) => Array.from({ length: s.labels.length }, (_, i) => idOf(s, i));

describe('seeded randomness', () => {
  it('is reproducible and pinned: a seed gives the same numbers in every release', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    // mulberry32(42), checked against a separate Python implementation; pinned so that a change
    // of generator cannot slip through unnoticed.
    expect(first.map((x) => Math.floor(x * 1e6))).toEqual([601103, 448290, 852465]);
  });

  it('is roughly uniform', () => {
    const random = seededRandom(7);
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 100000; i++) bins[Math.floor(random() * 10)]++;
    for (const count of bins) expect(Math.abs(count - 10000)).toBeLessThan(500);
  });

  it('permutation holds every index once', () => {
    const p = permutation(1000, 3);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(permutation(1000, 3))).toEqual(Array.from(p));
    expect(Array.from(permutation(1000, 4))).not.toEqual(Array.from(p));
  });
});

describe('shuffle and subset', () => {
  it('keeps each image with its label', () => {
    const split = traced(300);
    const shuffled = shuffle(split, { seed: 5 });
    expect(ids(shuffled)).not.toEqual(ids(split));
    expect([...ids(shuffled)].sort((a, b) => a - b)).toEqual(ids(split));
    for (let i = 0; i < 300; i++) expect(shuffled.labels[i]).toBe(split.labels[idOf(shuffled, i)]);
    expect(ids(shuffle(split, { seed: 5 }))).toEqual(ids(shuffled));
    // without a seed: still a permutation of the same samples
    expect([...ids(shuffle(split))].sort((a, b) => a - b)).toEqual(ids(split));
  });

  it('subset copies the chosen samples in order and checks indices', () => {
    const split = traced(20);
    const part = subset(split, [4, 2, 19]);
    expect(ids(part)).toEqual([4, 2, 19]);
    expect(part.images.shape).toEqual([3, 4, 4]);
    expect(() => subset(split, [20])).toThrow(/index 20 at position 0 is outside 0\.\.19/);
  });
});

describe('trainTestSplit', () => {
  it('splits into disjoint parts that cover every sample', () => {
    const split = traced(1000);
    const { train, test } = trainTestSplit(split, { testSize: 0.25, seed: 1 });
    expect(test.labels.length).toBe(250);
    expect(train.labels.length).toBe(750);
    const all = [...ids(train), ...ids(test)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('stratifies: every class keeps its share, to within one sample', () => {
    const split = traced(2000, 7);
    const counts = classCounts(split.labels, 7);
    const { train, test } = trainTestSplit(split, { testSize: 0.2, seed: 11, stratify: true });
    expect(test.labels.length).toBe(400);
    const testCounts = classCounts(test.labels, 7);
    counts.forEach((c, k) => {
      expect(Math.abs(testCounts[k] - c * 0.2)).toBeLessThan(1);
      expect(classCounts(train.labels, 7)[k] + testCounts[k]).toBe(c);
    });
    // Mixed, not sorted by class.
    expect([...test.labels].sort((a, b) => a - b)).not.toEqual(Array.from(test.labels));
  });

  it('takes a count, and without shuffle takes the tail', () => {
    const split = traced(10);
    const { train, test } = trainTestSplit(split, { testSize: 3, shuffle: false });
    expect(ids(train)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(ids(test)).toEqual([7, 8, 9]);
    expect(() => trainTestSplit(split, { testSize: 10 })).toThrow(/testSize must be a fraction/);
    expect(() => trainTestSplit(split, { stratify: true, shuffle: false })).toThrow(
      /stratify needs shuffle/,
    );
  });

  it('refuses a split that leaves either part empty, as scikit-learn does', () => {
    expect(() => trainTestSplit(traced(3), { testSize: 0.9 })).toThrow(
      /3 samples with testSize 0\.9 leave the train part empty/,
    );
    expect(() => trainTestSplit(traced(1))).toThrow(/leave the train part empty/);
    expect(() => trainTestSplit(traced(0))).toThrow(DatasetError);
    expect(() => trainTestSplit(traced(1), { stratify: true })).toThrow(DatasetError);
    const { train, test } = trainTestSplit(traced(2), { testSize: 0.5 });
    expect([train.labels.length, test.labels.length]).toEqual([1, 1]);
  });
});

describe('validationSplit', () => {
  it("takes the last fraction before shuffling, like Keras's validation_split", () => {
    const split = traced(10);
    const { train, validation } = validationSplit(split, 0.2);
    expect(ids(train)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(ids(validation)).toEqual([8, 9]);
    expect(() => validationSplit(split, 1)).toThrow(/fraction must be in \(0, 1\)/);
  });
});

describe('classCounts and selectClasses', () => {
  it('counts samples per class', () => {
    expect(classCounts([0, 2, 2, 1, 2])).toEqual([1, 1, 3]);
    expect(classCounts([1], 4)).toEqual([0, 1, 0, 0]);
    expect(() => classCounts([5], 3)).toThrow(/labels\[0\] is 5/);
  });

  it('keeps chosen classes and renumbers them in the order given', () => {
    const split = traced(100);
    const picked = selectClasses(split, [7, 3]);
    for (let i = 0; i < picked.labels.length; i++) {
      const original = split.labels[idOf(picked, i)];
      expect(picked.labels[i]).toBe(original === 7 ? 0 : 1);
    }
    const expected = classCounts(split.labels, 10);
    expect(classCounts(picked.labels, 2)).toEqual([expected[7], expected[3]]);
  });
});
