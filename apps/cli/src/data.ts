import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  DatasetError,
  type Image,
  type LabeledImages,
  loadFashionMnist,
  loadMnist,
  loadSignMnist,
  SIGN_MNIST_LABELS,
  selectClasses,
  subset,
} from '@cnnlab/datasets/node';
import { CliError, usageError } from './errors.js';

export const DATASETS = ['mnist', 'fashion-mnist', 'sign-mnist'] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface LoadedData {
  name: DatasetName;
  train: LabeledImages;
  test: LabeledImages;
  classNames: string[];
  description: string;
}

export function parseDataset(value: string): DatasetName {
  if (!(DATASETS as readonly string[]).includes(value)) {
    throw usageError(`unknown dataset '${value}' (expected ${DATASETS.join(', ')})`);
  }
  return value as DatasetName;
}

/** Labels --classes may name: 0–9 for the MNIST sets, Kaggle's 24 letters for Sign-MNIST. */
function checkLabels(name: DatasetName, classes: number[]): void {
  const valid = name === 'sign-mnist' ? SIGN_MNIST_LABELS : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const wrong = classes.find((c) => !valid.includes(c));
  if (wrong !== undefined) {
    throw usageError(
      name === 'sign-mnist'
        ? `--classes: ${wrong} is not a Sign-MNIST label (0–24 without 9: J and Z need motion)`
        : `--classes: ${wrong} is not a label of ${name} (0–9)`,
    );
  }
}

/** Finds the Kaggle CSVs in a folder under their usual names. */
function signFiles(dir: string): { train: string; test: string } {
  const pick = (stem: string) =>
    [`${stem}.csv`, `${stem}.csv.gz`].map((f) => join(dir, f)).find((p) => existsSync(p));
  const train = pick('sign_mnist_train');
  const test = pick('sign_mnist_test');
  if (!train || !test) {
    throw new CliError(
      `sign-mnist needs sign_mnist_train.csv and sign_mnist_test.csv in ${dir} (Kaggle's files)`,
    );
  }
  return { train, test };
}

export async function loadDataset(
  name: DatasetName,
  options: { dataDir?: string; classes?: number[]; signCsv?: [string, string] } = {},
): Promise<LoadedData> {
  if (options.classes) checkLabels(name, options.classes);
  try {
    if (name === 'sign-mnist') {
      let files: { train: string; test: string };
      if (options.signCsv) files = { train: options.signCsv[0], test: options.signCsv[1] };
      else if (options.dataDir) files = signFiles(options.dataDir);
      else throw usageError('sign-mnist needs --data-dir DIR with the Kaggle CSV files');
      const opts = options.classes ? { classes: options.classes } : {};
      const train = await loadSignMnist(files.train, opts);
      const test = await loadSignMnist(files.test, opts);
      return {
        name,
        train: train,
        test: test,
        classNames: [...train.classNames],
        description: `Sign Language MNIST from ${files.train} and ${files.test}`,
      };
    }
    const load = name === 'mnist' ? loadMnist : loadFashionMnist;
    const data = await load(options.dataDir ? { dir: options.dataDir } : {});
    let train: LabeledImages = data.train;
    let test: LabeledImages = data.test;
    let classNames = [...data.classNames];
    if (options.classes) {
      train = selectClasses(train, options.classes);
      test = selectClasses(test, options.classes);
      classNames = options.classes.map((c) => classNames[c] ?? String(c));
    }
    return { name, train, test, classNames, description: data.source.description };
  } catch (error) {
    if (error instanceof DatasetError) {
      throw new CliError(error.message, { cause: error });
    }
    throw error;
  }
}

/**
 * A split with no images (a filter that kept none, an empty file) gets this one line rather than
 * the tfjs kernel message that training or scoring it would end with.
 */
export function requireImages(data: LoadedData, which: 'train' | 'test', classes?: number[]): void {
  if (data[which].labels.length > 0) return;
  const of = classes ? ` of the classes --classes ${classes.join(',')}` : '';
  throw new CliError(
    `the ${which} split of ${data.description} holds no images${of}; expected at least one`,
  );
}

/** The first `n` images of a split (all of them when it has fewer). */
export function firstOf(split: LabeledImages, n: number): LabeledImages {
  const count = Math.min(n, split.labels.length);
  return subset(
    split,
    Array.from({ length: count }, (_, i) => i),
  );
}

/** One image of a split: `[h, w]` of a grey batch `[n, h, w]`, `[h, w, c]` of `[n, h, w, c]`. */
export function imageAt(split: LabeledImages, index: number): Image<Uint8Array> {
  const [, h = 28, w = 28, c] = split.images.shape;
  const size = h * w * (c ?? 1);
  return {
    data: split.images.data.subarray(index * size, (index + 1) * size),
    shape: c === undefined ? [h, w] : [h, w, c],
  };
}
