import type { Image, LabeledImages } from '@cnnlab/core';
import type { Bytes } from './bytes.js';
import { DatasetError } from './errors.js';
import { readIdx } from './idx.js';

/** The four files of an MNIST-style dataset, by role. */
export type MnistFileRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

/** Standard file names (without `.gz`), as LeCun and Zalando publish them. */
export const MNIST_FILE_NAMES: Readonly<Record<MnistFileRole, string>> = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

export const MNIST_FILE_ROLES: readonly MnistFileRole[] = [
  'trainImages',
  'trainLabels',
  'testImages',
  'testLabels',
];

/** Where a loaded dataset came from. */
export interface DataSource {
  kind: 'dir' | 'cache' | 'download' | 'url' | 'embedded';
  /** Folder, cache folder or base URL the files were read from. */
  location: string;
  /** One line for people: what was loaded and from where. */
  description: string;
}

/** What `loadMnist` and `loadFashionMnist` return: Keras's `load_data()` pair, plus provenance. */
export interface MnistData {
  name: string;
  train: LabeledImages;
  test: LabeledImages;
  classNames: string[];
  source: DataSource;
}

/** Decodes an idx3 uint8 image file into `{ data, shape: [n, h, w] }` (a view, no copy). */
export function readIdxImages(bytes: Bytes, name = 'images'): Image<Uint8Array> {
  const idx = readIdx(bytes, { name });
  if (idx.dtype !== 'uint8' || idx.shape.length !== 3) {
    throw new DatasetError(
      `${name}: expected an idx3 file of uint8 images [n, h, w], got ${idx.dtype} with shape [${idx.shape.join(', ')}]`,
      { source: name },
    );
  }
  return { data: idx.data as Uint8Array, shape: idx.shape };
}

/** Decodes an idx1 uint8 label file into a Uint8Array (a view, no copy). */
export function readIdxLabels(bytes: Bytes, name = 'labels'): Uint8Array {
  const idx = readIdx(bytes, { name });
  if (idx.dtype !== 'uint8' || idx.shape.length !== 1) {
    throw new DatasetError(
      `${name}: expected an idx1 file of uint8 labels [n], got ${idx.dtype} with shape [${idx.shape.join(', ')}]`,
      { source: name },
    );
  }
  return idx.data as Uint8Array;
}

/**
 * Builds one split from an image file and a label file, checking that the counts agree and that
 * every label names one of `numClasses` classes.
 */
export function labeledFromIdx(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array,
  names: { images: string; labels: string },
  numClasses = 10,
): LabeledImages {
  const images = readIdxImages(imageBytes, names.images);
  const labels = readIdxLabels(labelBytes, names.labels);
  if (images.shape[0] !== labels.length) {
    throw new DatasetError(
      `${names.images} holds ${images.shape[0]} images but ${names.labels} holds ${labels.length} labels; they must match`,
      { source: names.labels },
    );
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= numClasses) {
      throw new DatasetError(
        `${names.labels}: unknown label ${labels[i]} at index ${i}; expected 0..${numClasses - 1}`,
        { source: names.labels },
      );
    }
  }
  return { images, labels };
}

/**
 * Assembles a dataset from the bytes of its four files (raw or gzip). The file names are only used
 * in error messages. Train and test images must have the same height and width.
 */
export function mnistFromFiles(
  files: Record<MnistFileRole, Uint8Array>,
  info: { name: string; classNames: string[]; source: DataSource },
  fileNames: Record<MnistFileRole, string> = MNIST_FILE_NAMES,
): MnistData {
  const k = info.classNames.length;
  const train = labeledFromIdx(
    files.trainImages,
    files.trainLabels,
    { images: fileNames.trainImages, labels: fileNames.trainLabels },
    k,
  );
  const test = labeledFromIdx(
    files.testImages,
    files.testLabels,
    { images: fileNames.testImages, labels: fileNames.testLabels },
    k,
  );
  const [, th, tw] = train.images.shape;
  const [, sh, sw] = test.images.shape;
  if (th !== sh || tw !== sw) {
    throw new DatasetError(
      `${fileNames.testImages}: images are ${sh}×${sw} but ${fileNames.trainImages} holds ${th}×${tw}; both splits must match`,
      { source: fileNames.testImages },
    );
  }
  return { name: info.name, train, test, classNames: info.classNames, source: info.source };
}
