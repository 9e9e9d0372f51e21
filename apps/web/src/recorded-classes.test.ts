// Section 9's store, without a browser: the checks before training, the seeded held-out split,
// the bound on pictures a class, and the resize to the network's size.
import { resizeImage } from '@cnnlab/datasets';
import { describe, expect, it } from 'vitest';
import {
  badClassName,
  CAPTURE_SIZE,
  MAX_PICTURES,
  PICTURE_BYTES,
  RecordedClasses,
} from './recorded-classes';

/** A picture whose every byte says which class and which picture it is. */
const picture = (label: number, i: number) => new Uint8Array(PICTURE_BYTES).fill(label * 50 + i);

function filled(counts: number[]): RecordedClasses {
  const store = new RecordedClasses(counts.map((_, c) => `c${c}`));
  counts.forEach((n, c) => {
    for (let i = 0; i < n; i++) store.addPicture(c, picture(c, i));
  });
  return store;
}

describe('RecordedClasses', () => {
  it('says what stands in the way of training', () => {
    expect(new RecordedClasses(['a']).problem()).toBe('name at least two classes');
    expect(filled([5, 4]).problem()).toBe('"c1" has 4 pictures; record or upload at least 5');
    expect(filled([5, 1]).problem(1)).toBeNull();
    const twice = filled([5, 5]);
    twice.classes[1].name = 'c0';
    expect(twice.problem()).toBe('two classes are called "c0"');
    twice.classes[1].name = 'a/b';
    expect(twice.problem()).toMatch(/^"a\/b" cannot be a folder name/);
    expect(badClassName(' rock')).toBe('" rock" starts or ends with a space');
    expect(badClassName('')).toBe('a class needs a name');
    expect(badClassName('rock')).toBeNull();
  });

  it('holds out a seeded fifth of each class, at least one picture, and trains on the rest', () => {
    const store = filled([10, 6, 5]);
    const split = store.split(CAPTURE_SIZE, 0.2, 1);
    expect(split.testCounts).toEqual([2, 1, 1]);
    expect(split.trainCounts).toEqual([8, 5, 4]);
    expect(split.classNames).toEqual(['c0', 'c1', 'c2']);
    expect(split.train.images.shape).toEqual([17, CAPTURE_SIZE, CAPTURE_SIZE, 3]);
    // Every picture lands in exactly one part, under its own label.
    const seen = new Set<number>();
    for (const part of [split.train, split.test]) {
      part.labels.forEach((label, k) => {
        const first = part.images.data[k * PICTURE_BYTES];
        expect(Math.floor(first / 50)).toBe(label);
        seen.add(first);
      });
    }
    expect(seen.size).toBe(21);
    // Same seed, same split; another seed, another one.
    const again = store.split(CAPTURE_SIZE, 0.2, 1);
    expect(again.test.images.data).toEqual(split.test.images.data);
    const other = store.split(CAPTURE_SIZE, 0.2, 2);
    expect(other.test.images.data).not.toEqual(split.test.images.data);
  });

  it('resizes to the network size as the folder reader does', () => {
    const store = filled([5, 5]);
    const gradient = Uint8Array.from({ length: PICTURE_BYTES }, (_, i) => i % 251);
    store.classes[0].pictures = [gradient, ...store.classes[0].pictures.slice(1)];
    const split = store.split(32, 0.2, 1);
    const expected = resizeImage(
      { data: gradient, shape: [CAPTURE_SIZE, CAPTURE_SIZE, 3] },
      [32, 32],
    );
    const each = 32 * 32 * 3;
    const parts = [split.train, split.test].flatMap((part) =>
      Array.from(part.labels, (_, k) => part.images.data.subarray(k * each, (k + 1) * each)),
    );
    expect(parts.some((p) => Buffer.from(p).equals(Buffer.from(expected.data)))).toBe(true);
  });

  it('keeps at most MAX_PICTURES a class and refuses pictures of the wrong size', () => {
    const store = new RecordedClasses(['a', 'b']);
    for (let i = 0; i < MAX_PICTURES; i++) expect(store.addPicture(0, picture(0, 0))).toBe(true);
    expect(store.addPicture(0, picture(0, 0))).toBe(false);
    expect(store.counts).toEqual([MAX_PICTURES, 0]);
    expect(() => store.addPicture(1, new Uint8Array(10))).toThrow(/got 10$/);
  });
});
