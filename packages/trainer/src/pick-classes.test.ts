import { describe, expect, it } from 'vitest';
import { mnist } from '../test/mnist.js';
import { TrainError } from './errors.js';
import { pickClasses } from './pick-classes.js';

const TARGET = [5, 6, 7, 8, 9];

/** The 784 pixels of image i of a split. */
const pixels = (data: Uint8Array | ArrayLike<number>, i: number) =>
  Array.from((data as Uint8Array).subarray(i * 784, (i + 1) * 784));

describe('pickClasses', () => {
  it('relabels each kept image by its class position and keeps its pixels', () => {
    for (const [perClass, seed] of [
      [10, 1],
      [30, 7],
      [undefined, 0],
    ] as const) {
      const picked = pickClasses(mnist.train, TARGET, { perClass, seed });
      const counts = [0, 0, 0, 0, 0];
      picked.indices.forEach((from, j) => {
        const original = mnist.train.labels[from];
        // The property: label j is where its digit stands in the list, 5 → 0 … 9 → 4.
        expect(picked.labels[j]).toBe(TARGET.indexOf(original));
        expect(picked.labels[j]).toBe(original - 5);
        counts[picked.labels[j]]++;
      });
      const total = perClass === undefined ? undefined : perClass * 5;
      if (total !== undefined)
        expect(counts).toEqual([perClass, perClass, perClass, perClass, perClass]);
      // No image of 0–4, none twice, every one of 5–9 when all are asked for.
      expect(new Set(picked.indices).size).toBe(picked.indices.length);
      if (perClass === undefined) {
        expect(picked.labels.length).toBe(mnist.train.labels.filter((l) => l >= 5).length);
      }
      for (const j of [0, Math.floor(picked.labels.length / 2), picked.labels.length - 1]) {
        expect(pixels(picked.images.data, j)).toEqual(
          pixels(mnist.train.images.data, picked.indices[j]),
        );
      }
      expect(picked.images.shape).toEqual([picked.labels.length, 28, 28]);
    }
  });

  it('follows the order of the classes given, not their values', () => {
    const picked = pickClasses(mnist.test, [9, 2], { perClass: 3, seed: 4 });
    for (const [j, from] of picked.indices.entries()) {
      expect(picked.labels[j]).toBe(mnist.test.labels[from] === 9 ? 0 : 1);
    }
  });

  it('draws the same images from the same seed, nested as the count grows', () => {
    const ten = pickClasses(mnist.train, TARGET, { perClass: 10, seed: 3 });
    const again = pickClasses(mnist.train, TARGET, { perClass: 10, seed: 3 });
    const thirty = pickClasses(mnist.train, TARGET, { perClass: 30, seed: 3 });
    const other = pickClasses(mnist.train, TARGET, { perClass: 10, seed: 4 });
    expect(Array.from(again.indices)).toEqual(Array.from(ten.indices));
    const larger = new Set(thirty.indices);
    expect(Array.from(ten.indices).every((i) => larger.has(i))).toBe(true);
    expect(Array.from(other.indices)).not.toEqual(Array.from(ten.indices));
  });

  it('says which class is short of examples, and what a bad argument is', () => {
    const tiny = {
      images: { data: new Uint8Array(4 * 4), shape: [4, 2, 2] },
      labels: [0, 1, 1, 0],
    };
    expect(() => pickClasses(tiny, [0, 1], { perClass: 3, argument: 'data.train' })).toThrow(
      /data.train has 2 images of class 0; expected at least 3/,
    );
    expect(() => pickClasses(tiny, [0, 2])).toThrow(/split has 0 images of class 2/);
    expect(() => pickClasses(tiny, [1, 1])).toThrow(/lists a class twice/);
    expect(() => pickClasses(tiny, [1])).toThrow(/at least two class indices/);
    expect(() => pickClasses(tiny, [0, 1.5])).toThrow(TrainError);
    expect(() => pickClasses(tiny, [0, 1], { perClass: 0 })).toThrow(/perClass is 0/);
    const oneHot = { images: tiny.images, labels: { data: new Float32Array(8), shape: [4, 2] } };
    expect(() => pickClasses(oneHot as never, [0, 1])).toThrow(/not a list of class indices/);
    expect(() => pickClasses({ ...tiny, labels: [0, 1, 1] }, [0, 1])).toThrow(
      /3 labels and images of shape \[4, 2, 2\]/,
    );
  });
});
