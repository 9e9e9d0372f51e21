import type { LabeledImages } from '@cnnlab/core';
import { DatasetError } from './errors.js';

/**
 * Sign Language MNIST labels letters by alphabet position: 0 = A … 24 = Y. J (9) and Z (25) need
 * motion, so the set has no images of them: 24 classes.
 */
export const SIGN_MNIST_LETTERS: readonly string[] = Array.from('ABCDEFGHIKLMNOPQRSTUVWXY');

/** Labels as they appear in the CSV for the 24 letters, in order. */
export const SIGN_MNIST_LABELS: readonly number[] = SIGN_MNIST_LETTERS.map(
  (letter) => letter.charCodeAt(0) - 65,
);

/** The workshop's rock-paper-scissors subset: A (fist, rock), B (flat hand, paper), V (scissors). */
export const ROCK_PAPER_SCISSORS: readonly number[] = [0, 1, 21];

export interface SignMnistOptions {
  /**
   * Keep only these classes, renumbered 0.. in this order: CSV labels (0–24, not 9) or letters
   * ('A', 'B', 'V'). Without it the 24 letters map to 0–23.
   */
  classes?: ReadonlyArray<number | string>;
  /** Name of the input for error messages (the file path, usually). */
  name?: string;
  /**
   * The most bytes of CSV text read (counted after inflating gzip); a longer input is a
   * DatasetError as soon as it passes the limit, so a small gzipped file cannot inflate into
   * gigabytes of rows. Default `SIGN_MNIST_MAX_BYTES`, 256 MiB: three times Kaggle's training file.
   */
  maxBytes?: number;
}

/** Default `maxBytes` of the Sign-MNIST readers: 256 MiB of CSV text (about 170,000 rows at most). */
export const SIGN_MNIST_MAX_BYTES = 256 * 1024 * 1024;

/** A parsed Sign-MNIST file: 28×28 uint8 images, labels 0..k-1, and what each label means. */
export interface SignMnistData extends LabeledImages {
  /** Letter of each class, e.g. ['A', 'B', 'V']. */
  classNames: string[];
  /** CSV label of each class, e.g. [0, 1, 21]. */
  sourceLabels: number[];
}

export interface ClassMapping {
  /** CSV label → class index, -1 when the label is dropped; 25 entries (labels 0–24). */
  map: Int16Array;
  classNames: string[];
  sourceLabels: number[];
}

/** Resolves the `classes` option into a label map, rejecting J, Z, unknowns and repeats. */
export function signMnistClasses(classes?: ReadonlyArray<number | string>): ClassMapping {
  const wanted = classes ?? SIGN_MNIST_LABELS;
  // An empty list would silently drop every row.
  if (!Array.isArray(wanted) || wanted.length === 0) {
    throw new DatasetError(
      `classes is ${Array.isArray(wanted) ? 'empty' : JSON.stringify(wanted)}; expected a list of at least one Sign-MNIST label or letter, or no classes option for all 24`,
      { source: 'classes' },
    );
  }
  const map = new Int16Array(25).fill(-1);
  const sourceLabels: number[] = [];
  wanted.forEach((c, i) => {
    const label =
      typeof c === 'string' && /^[A-Za-z]$/.test(c) ? c.toUpperCase().charCodeAt(0) - 65 : c;
    if (
      typeof label !== 'number' ||
      !Number.isInteger(label) ||
      label < 0 ||
      label > 24 ||
      label === 9
    ) {
      throw new DatasetError(
        `classes[${i}] is ${JSON.stringify(c)}; expected a Sign-MNIST label 0–24 other than 9 (J), or a letter A–Y other than J`,
        { source: 'classes' },
      );
    }
    if (map[label] !== -1) {
      throw new DatasetError(`classes[${i}]: class ${JSON.stringify(c)} is listed twice`, {
        source: 'classes',
      });
    }
    map[label] = i;
    sourceLabels.push(label);
  });
  return { map, sourceLabels, classNames: sourceLabels.map((l) => String.fromCharCode(65 + l)) };
}
