import { type Image, permutation, sizeOf, type TypedArray } from '@cnnlab/core';
import { TrainError } from './errors.js';

/** Images with one class index each, as the @cnnlab/datasets loaders return a split. */
export interface IndexedSplit {
  images: Image;
  /** One class index per image. */
  labels: ArrayLike<number>;
}

/** What pickClasses returns: the kept images, relabelled, and where each came from. */
export interface PickedClasses {
  images: Image;
  /** `classes.indexOf(original label)`: 0 for the first class asked for, 1 for the next, … */
  labels: Uint8Array;
  /** The index in the input split of each kept image. */
  indices: Uint32Array;
}

export interface PickClassesOptions {
  /**
   * Keep this many images of each class, drawn at random (seeded); a class with fewer is an
   * error. Default: every image of the classes, in the split's order.
   */
  perClass?: number;
  /** Seed of the draw; the same seed draws nested sets (the 10 a class are among the 30). */
  seed?: number;
  /** How errors name the split, e.g. `data.train`. Default `split`. */
  argument?: string;
}

/** Checks a list of class indices: whole numbers, no repeats, at least two. */
export function checkClasses(classes: readonly number[], argument: string): void {
  if (!Array.isArray(classes) || classes.length < 2) {
    throw new TrainError(
      `${argument} is ${JSON.stringify(classes)}; expected at least two class indices to tell apart`,
      argument,
    );
  }
  for (const c of classes) {
    if (!Number.isInteger(c) || c < 0 || c > 255) {
      throw new TrainError(
        `${argument} holds ${c}; expected class indices, whole numbers from 0 to 255`,
        argument,
      );
    }
  }
  if (new Set(classes).size !== classes.length) {
    throw new TrainError(`${argument} [${classes.join(', ')}] lists a class twice`, argument);
  }
}

/**
 * The images of `classes` from a split, relabelled 0… in the order the classes are given (so
 * digits [5, 6, 7, 8, 9] become labels 0–4), either all of them or `perClass` of each drawn at
 * random. The draw walks one seeded permutation of the split and keeps the first `perClass` of
 * each class it meets, so a larger `perClass` with the same seed keeps every image a smaller one
 * kept: few-shot sets that grow, not change.
 */
export function pickClasses(
  split: IndexedSplit,
  classes: readonly number[],
  options: PickClassesOptions = {},
): PickedClasses {
  const argument = options.argument ?? 'split';
  checkClasses(classes, 'classes');
  const { images, labels } = split;
  if (!labels || typeof labels.length !== 'number' || 'shape' in labels) {
    throw new TrainError(
      `${argument}.labels is not a list of class indices; expected one class index per image (not one-hot rows)`,
      `${argument}.labels`,
    );
  }
  const n = images.shape[0] ?? 0;
  const per = sizeOf(images.shape.slice(1));
  if (labels.length !== n || images.data.length !== n * per) {
    throw new TrainError(
      `${argument} has ${labels.length} labels and images of shape [${images.shape.join(', ')}] (${images.data.length} values); expected one label per image`,
      argument,
    );
  }
  const { perClass } = options;
  if (perClass !== undefined && !(Number.isInteger(perClass) && perClass >= 1)) {
    throw new TrainError(`perClass is ${perClass}; expected an integer >= 1`, 'perClass');
  }
  const position = new Map(classes.map((c, i) => [c, i]));
  const order = perClass === undefined ? undefined : permutation(n, (options.seed ?? 0) >>> 0);
  const counts = new Array<number>(classes.length).fill(0);
  const kept: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order ? order[k] : k;
    const at = position.get(labels[i]);
    if (at === undefined || (perClass !== undefined && counts[at] >= perClass)) continue;
    counts[at]++;
    kept.push(i);
  }
  const short = counts.findIndex((count) => count < (perClass ?? 1));
  if (short >= 0) {
    throw new TrainError(
      `${argument} has ${counts[short]} image${counts[short] === 1 ? '' : 's'} of class ${classes[short]}; expected at least ${perClass ?? 1}${perClass === undefined ? '' : ' (examples per class)'}`,
      argument,
    );
  }
  const data = new (images.data.constructor as new (length: number) => TypedArray)(
    kept.length * per,
  );
  const out = new Uint8Array(kept.length);
  kept.forEach((i, j) => {
    data.set(images.data.subarray(i * per, (i + 1) * per), j * per);
    out[j] = position.get(labels[i]) as number;
  });
  return {
    images: { data, shape: [kept.length, ...images.shape.slice(1)] },
    labels: out,
    indices: Uint32Array.from(kept),
  };
}
