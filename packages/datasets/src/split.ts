import type { LabeledImages, TypedArray } from '@cnnlab/core';
import { permutation } from '@cnnlab/core';
import { DatasetError } from './errors.js';
import { subset } from './subset.js';

export interface TrainTestSplitOptions {
  /** Fraction in (0, 1) or a count of samples for the test part. Default 0.2. */
  testSize?: number;
  /** Seed of the shuffle. Default 0. */
  seed?: number;
  /** Shuffle before splitting (default true); without it the test part is the tail. */
  shuffle?: boolean;
  /** Keep each class's share equal in both parts (needs shuffle). Default false. */
  stratify?: boolean;
}

function testCount(n: number, testSize: number): number {
  if (testSize > 0 && testSize < 1) return Math.ceil(testSize * n);
  if (Number.isInteger(testSize) && testSize >= 1 && testSize < n) return testSize;
  throw new DatasetError(
    `trainTestSplit: testSize must be a fraction in (0, 1) or a count in 1..${n - 1}, got ${testSize}`,
    { source: 'testSize' },
  );
}

/**
 * Splits a labelled set in two, like scikit-learn's `train_test_split`: seeded, optionally
 * stratified (each class split in the same proportion, remainders going to the largest fractions).
 */
export function trainTestSplit<T extends TypedArray>(
  split: LabeledImages<T>,
  options: TrainTestSplitOptions = {},
): { train: LabeledImages<T>; test: LabeledImages<T> } {
  const n = split.labels.length;
  const testSize = options.testSize ?? 0.2;
  const nTest = testCount(n, testSize);
  // As in scikit-learn: an empty part is an error, not a silent zero-sample split.
  if (nTest === 0 || nTest === n) {
    throw new DatasetError(
      `trainTestSplit: ${n} sample${n === 1 ? '' : 's'} with testSize ${testSize} leave the ${nTest === 0 ? 'test' : 'train'} part empty; use more samples or another testSize`,
      { source: 'testSize' },
    );
  }
  const seed = options.seed ?? 0;
  const doShuffle = options.shuffle ?? true;
  if (!options.stratify) {
    if (!doShuffle) {
      const all = Array.from({ length: n }, (_, i) => i);
      return {
        train: subset(split, all.slice(0, n - nTest)),
        test: subset(split, all.slice(n - nTest)),
      };
    }
    const order = permutation(n, seed);
    return {
      train: subset(split, order.subarray(nTest)),
      test: subset(split, order.subarray(0, nTest)),
    };
  }
  if (!doShuffle) {
    throw new DatasetError('trainTestSplit: stratify needs shuffle: true', { source: 'stratify' });
  }
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = byClass.get(split.labels[i]);
    if (list) list.push(i);
    else byClass.set(split.labels[i], [i]);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  // Largest-remainder allocation: every class gets floor(share), the rest go to the biggest remainders.
  const exact = classes.map((c) => ((byClass.get(c) as number[]).length * nTest) / n);
  const take = exact.map(Math.floor);
  let left = nTest - take.reduce((a, b) => a + b, 0);
  const byRemainder = classes
    .map((_, i) => i)
    .sort((a, b) => exact[b] - take[b] - (exact[a] - take[a]) || a - b);
  for (const i of byRemainder) {
    if (left === 0) break;
    take[i]++;
    left--;
  }
  const trainIdx: number[] = [];
  const testIdx: number[] = [];
  classes.forEach((c, k) => {
    const members = byClass.get(c) as number[];
    const order = permutation(members.length, seed + 7919 * (k + 1));
    for (let i = 0; i < members.length; i++)
      (i < take[k] ? testIdx : trainIdx).push(members[order[i]]);
  });
  // Mix the classes so neither part comes out sorted by label.
  const trainOrder = permutation(trainIdx.length, seed + 1);
  const testOrder = permutation(testIdx.length, seed + 2);
  return {
    train: subset(
      split,
      Array.from(trainOrder, (i) => trainIdx[i]),
    ),
    test: subset(
      split,
      Array.from(testOrder, (i) => testIdx[i]),
    ),
  };
}

/**
 * Keras's `validation_split`: the last `fraction` of the samples, before any shuffling, become the
 * validation part.
 */
export function validationSplit<T extends TypedArray>(
  split: LabeledImages<T>,
  fraction: number,
): { train: LabeledImages<T>; validation: LabeledImages<T> } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new DatasetError(`validationSplit: fraction must be in (0, 1), got ${fraction}`, {
      source: 'fraction',
    });
  }
  const n = split.labels.length;
  const at = Math.floor(n * (1 - fraction));
  const all = Array.from({ length: n }, (_, i) => i);
  return { train: subset(split, all.slice(0, at)), validation: subset(split, all.slice(at)) };
}
