import { DatasetError } from './errors.js';
import type { LabeledImages, TypedArray } from './image.js';
import { permutation } from './random.js';

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
  const per = n === 0 ? 0 : images.data.length / n;
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

/** The split with its samples in a seeded random order, images and labels kept together. */
export function shuffle<T extends TypedArray>(
  split: LabeledImages<T>,
  options: { seed: number },
): LabeledImages<T> {
  return subset(split, permutation(split.labels.length, options.seed));
}

/** Samples per class: `counts[c]` is how many labels equal c. */
export function classCounts(labels: ArrayLike<number>, numClasses?: number): number[] {
  let k = numClasses ?? 0;
  if (numClasses === undefined)
    for (let i = 0; i < labels.length; i++) k = Math.max(k, labels[i] + 1);
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!(label >= 0 && label < k)) {
      throw new DatasetError(`classCounts: labels[${i}] is ${label}; expected 0..${k - 1}`, {
        source: 'labels',
      });
    }
    counts[label]++;
  }
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
