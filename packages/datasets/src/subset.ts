import { type LabeledImages, permutation, sizeOf, type TypedArray } from '@cnnlab/core';
import { DatasetError } from './errors.js';

function typedLike<T extends TypedArray>(data: T, length: number): T {
  return new (data.constructor as new (n: number) => T)(length);
}

/** The samples at `indices`, in that order, copied into new arrays. */
export function subset<T extends TypedArray>(
  split: LabeledImages<T>,
  indices: ArrayLike<number>,
): LabeledImages<T> {
  const { images, labels } = split;
  const n = images.shape[0];
  if (labels.length !== n) {
    throw new DatasetError(
      `subset: ${n} images but ${labels.length} labels; a split needs one label per image`,
      { source: 'labels' },
    );
  }
  // From the shape, not data.length / n: that division hides data that does not fit the shape.
  const per = sizeOf(images.shape.slice(1));
  if (images.data.length !== n * per) {
    throw new DatasetError(
      `subset: images.shape [${images.shape.join(', ')}] holds ${n * per} values but images.data has ${images.data.length}`,
      { source: 'images' },
    );
  }
  const data = typedLike(images.data, indices.length * per);
  const outLabels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    if (!Number.isInteger(j) || j < 0 || j >= n) {
      throw new DatasetError(`subset: index ${j} at position ${i} is outside 0..${n - 1}`, {
        source: 'indices',
      });
    }
    data.set(images.data.subarray(j * per, (j + 1) * per), i * per);
    outLabels[i] = labels[j];
  }
  return { images: { data, shape: [indices.length, ...images.shape.slice(1)] }, labels: outLabels };
}

/**
 * The split with its samples in a random order, images and labels kept together; reproducible
 * when a seed is given.
 */
export function shuffle<T extends TypedArray>(
  split: LabeledImages<T>,
  options: { seed?: number } = {},
): LabeledImages<T> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  return subset(split, permutation(split.labels.length, seed));
}

/** Samples per class: `counts[c]` is how many labels equal c. */
export function classCounts(labels: ArrayLike<number>, numClasses?: number): number[] {
  if (numClasses !== undefined && !(Number.isSafeInteger(numClasses) && numClasses >= 0)) {
    throw new DatasetError(
      `classCounts: numClasses is ${numClasses}; expected a whole number of classes`,
      { source: 'numClasses' },
    );
  }
  // Labels are checked before any counting, so that a bad one never becomes an array length.
  let largest = -1;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!(Number.isInteger(label) && label >= 0 && label < (numClasses ?? 0xffffffff))) {
      const range = numClasses === undefined ? 'a class index 0, 1, 2…' : `0..${numClasses - 1}`;
      throw new DatasetError(`classCounts: labels[${i}] is ${label}; expected ${range}`, {
        source: 'labels',
      });
    }
    if (label > largest) largest = label;
  }
  const counts = new Array<number>(numClasses ?? largest + 1).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

/** Keeps the samples whose label is in `classes` and renumbers them 0.. in the order given. */
export function selectClasses<T extends TypedArray>(
  split: LabeledImages<T>,
  classes: readonly number[],
): LabeledImages<T> {
  const map = new Map(classes.map((c, i) => [c, i]));
  if (map.size !== classes.length) {
    throw new DatasetError(`selectClasses: classes [${classes.join(', ')}] repeats a class`, {
      source: 'classes',
    });
  }
  const keep: number[] = [];
  for (let i = 0; i < split.labels.length; i++) if (map.has(split.labels[i])) keep.push(i);
  const out = subset(split, keep);
  for (let i = 0; i < out.labels.length; i++) out.labels[i] = map.get(out.labels[i]) as number;
  return out;
}
