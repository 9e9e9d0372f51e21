import { permutation } from '@cnnlab/core';
import { describe, expect, it } from 'vitest';
import { DatasetError } from './errors.js';
import {
  compareCodePoints,
  type ImageFolderListing,
  indexImageFolder,
} from './image-dataset-index.js';
import { type ImageDatasetOptions, resolveImageDatasetOptions } from './image-dataset-options.js';

const FOLDER: ImageFolderListing = {
  folders: ['dogs', 'cats', '.cache', 'birds'],
  files: [
    'dogs/b.JPG',
    'dogs/a.png',
    'dogs/x/c.jpeg',
    'dogs/x-y/d.png',
    'dogs/x/sub/e.png',
    'dogs/notes.txt',
    'dogs/.hidden.png',
    'dogs/.thumbs/e.png',
    'cats/z.png',
    'cats/photo.bmp',
    '.cache/f.png',
    'loose.png',
  ],
};

const index = (options: ImageDatasetOptions = {}, listing = FOLDER) =>
  indexImageFolder(
    listing,
    resolveImageDatasetOptions({ shuffle: false, ...options }, 'test'),
    'data',
  );

function error(f: () => unknown): DatasetError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return e as DatasetError;
  }
  throw new Error('no error');
}

describe('indexImageFolder (Keras index_directory)', () => {
  it('labels sorted class folders 0..k-1 and walks each as os.walk, leaving hidden and other files out', () => {
    const { classNames, parts } = index();
    // birds is empty: still a class, as in Keras.
    expect(classNames).toEqual(['birds', 'cats', 'dogs']);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toEqual([
      { path: 'cats/z.png', label: 1 },
      { path: 'dogs/a.png', label: 2 },
      { path: 'dogs/b.JPG', label: 2 },
      // os.walk's roots sort as strings: 'dogs/x' < 'dogs/x-y' < 'dogs/x/sub' ('-' < '/')
      { path: 'dogs/x/c.jpeg', label: 2 },
      { path: 'dogs/x-y/d.png', label: 2 },
      { path: 'dogs/x/sub/e.png', label: 2 },
    ]);
  });

  it('takes classNames as the classes and their order, a subset allowed, a missing one named', () => {
    const { classNames, parts } = index({ classNames: ['dogs', 'cats'] });
    expect(classNames).toEqual(['dogs', 'cats']);
    expect(parts[0].map((p) => p.label)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(error(() => index({ classNames: ['cats', 'horses', 'cows'] })).message).toBe(
      "data: classNames 'horses', 'cows' are not subfolders; its class folders are 'birds', 'cats', 'dogs'",
    );
  });

  it('reads every picture under the folder, top level included, with labelMode null', () => {
    const { classNames, parts } = index({ labelMode: null });
    expect(classNames).toEqual([]);
    expect(parts[0].map((p) => p.path)).toEqual([
      'loose.png',
      'cats/z.png',
      'dogs/a.png',
      'dogs/b.JPG',
      'dogs/x/c.jpeg',
      'dogs/x-y/d.png',
      'dogs/x/sub/e.png',
    ]);
  });

  it('shuffles the whole list with the seed, labels following their files', () => {
    const plain = index().parts[0];
    const shuffled = index({ shuffle: true, seed: 7 }).parts[0];
    expect(shuffled).toEqual(Array.from(permutation(plain.length, 7), (i) => plain[i]));
    expect(index({ shuffle: true, seed: 7 }).parts[0]).toEqual(shuffled);
    expect(index({ shuffle: true, seed: 8 }).parts[0]).not.toEqual(shuffled);
  });

  it('keeps the last int(validationSplit · n) files for validation, after shuffling', () => {
    const plain = index().parts[0];
    const order = Array.from(permutation(6, 3), (i) => plain[i]);
    const split = { shuffle: true, seed: 3, validationSplit: 0.4 };
    // int(0.4 · 6) = 2
    expect(index({ ...split, subset: 'training' }).parts).toEqual([order.slice(0, 4)]);
    expect(index({ ...split, subset: 'validation' }).parts).toEqual([order.slice(4)]);
    expect(index({ ...split, subset: 'both' }).parts).toEqual([order.slice(0, 4), order.slice(4)]);
    expect(error(() => index({ ...split, validationSplit: 0.1, subset: 'training' })).message).toBe(
      'data: validationSplit 0.1 of 6 pictures leaves the validation subset empty; use more pictures or another validationSplit',
    );
  });

  it('orders names by code point, as Python sorts', () => {
    expect(['b', 'B', 'a', '\u{1F600}', '\uFF21'].sort(compareCodePoints)).toEqual([
      'B',
      'a',
      'b',
      '\uFF21',
      '\u{1F600}',
    ]);
  });

  it('refuses what cannot be labelled, naming the folder', () => {
    const none = { folders: [], files: ['a.png', 'b.jpg'] };
    expect(error(() => index({}, none)).message).toBe(
      'data: no class subfolders; expected one subfolder per class (data/cats/…, data/dogs/…). Pictures directly in it are ignored when labels are inferred; use labelMode null to read them unlabelled',
    );
    expect(index({ labelMode: null }, none).parts[0]).toHaveLength(2);
    const one = { folders: ['cats'], files: ['cats/a.png'] };
    expect(error(() => index({}, one)).message).toBe(
      "data: only one class folder ('cats'); labels need at least two classes. Add a subfolder per class, or use labelMode null to read the pictures unlabelled",
    );
    expect(error(() => index({ classNames: ['cats'] })).message).toMatch(
      /only one class folder \('cats'\)/,
    );
    expect(index({ labelMode: null }, one).parts[0]).toEqual([{ path: 'cats/a.png', label: 0 }]);
    expect(error(() => index({ labelMode: 'binary' })).message).toBe(
      "data: labelMode 'binary' needs exactly 2 classes, found 3 (birds, cats, dogs)",
    );
    expect(index({ labelMode: 'binary', classNames: ['cats', 'dogs'] }).classNames).toEqual([
      'cats',
      'dogs',
    ]);
    const many = { folders: Array.from({ length: 257 }, (_, i) => `c${i}`), files: ['c0/a.png'] };
    expect(error(() => index({}, many)).message).toMatch(
      /data: 257 class folders; cnnlab's labels are bytes, so at most 256/,
    );
  });

  it('names the folders and what was ignored when there is no picture at all', () => {
    const empty = { folders: ['a', 'b'], files: ['a/x.gif', 'a/y.bmp', 'b/readme', 'b/.DS_Store'] };
    expect(error(() => index({}, empty)).message).toBe(
      'data: no PNG or JPEG pictures in its class folders (a, b); expected files ending .png, .jpg or .jpeg; 3 other files ignored (.gif, .bmp, (none))',
    );
    expect(error(() => index({ labelMode: null }, { folders: [], files: [] })).message).toBe(
      'data: no PNG or JPEG pictures under it; expected files ending .png, .jpg or .jpeg',
    );
  });
});

describe('resolveImageDatasetOptions (Keras argument checks)', () => {
  const message = (options: unknown) =>
    error(() => resolveImageDatasetOptions(options as ImageDatasetOptions, 'load')).message;

  it("fills Keras's defaults", () => {
    const o = resolveImageDatasetOptions({}, 'load');
    expect(o).toMatchObject({
      labelMode: 'int',
      colorMode: 'rgb',
      channels: 3,
      imageSize: [256, 256],
      shuffle: true,
      validationSplit: undefined,
      subset: undefined,
      cropToAspectRatio: false,
      padToAspectRatio: false,
      limits: { maxFileBytes: 64 * 1024 * 1024, maxImageSide: 16384, maxImagePixels: 100_000_000 },
    });
    expect(Number.isInteger(o.seed)).toBe(true);
    expect(
      resolveImageDatasetOptions({ imageSize: 28, colorMode: 'grayscale' }, 'load'),
    ).toMatchObject({
      imageSize: [28, 28],
      channels: 1,
    });
    // As Keras: a validationSplit of 0 is no split.
    expect(
      resolveImageDatasetOptions({ validationSplit: 0 }, 'load').validationSplit,
    ).toBeUndefined();
  });

  it.each([
    [
      { labelMode: 'sparse' },
      "load: labelMode must be 'int', 'categorical', 'binary' or null, got 'sparse'",
    ],
    [{ colorMode: 'rgbx' }, "load: colorMode must be 'grayscale', 'rgb' or 'rgba', got 'rgbx'"],
    [
      { imageSize: [0, 28] },
      'load: imageSize must be [height, width], two integers in 1..65535 (or one for both), got [0,28]',
    ],
    [{ imageSize: [28] }, /imageSize must be/],
    [{ shuffle: 'yes' }, "load: shuffle must be true or false, got 'yes'"],
    [{ seed: 1.5 }, 'load: seed must be an integer, got 1.5'],
    [
      { validationSplit: 1.2, subset: 'training', seed: 1 },
      'load: validationSplit must be a fraction between 0 and 1, got 1.2',
    ],
    [
      { validationSplit: Number.NaN, subset: 'training', seed: 1 },
      'load: validationSplit must be a fraction between 0 and 1, got NaN',
    ],
    [
      { validationSplit: 0.2, subset: 'test', seed: 1 },
      "load: subset must be 'training', 'validation' or 'both', got 'test'",
    ],
    [
      { subset: 'training' },
      "load: subset and validationSplit go together; got subset 'training' without validationSplit",
    ],
    [
      { validationSplit: 0.2, seed: 1 },
      'load: subset and validationSplit go together; got validationSplit 0.2 without subset',
    ],
    [
      { validationSplit: 0.2, subset: 'both' },
      /load: validationSplit with shuffle needs a seed, so that the training and validation subsets do not overlap/,
    ],
    [
      { interpolation: 'nearest' },
      "load: interpolation must be 'bilinear' (the only one implemented), got 'nearest'",
    ],
    [
      { cropToAspectRatio: true, padToAspectRatio: true },
      'load: cropToAspectRatio and padToAspectRatio exclude each other; choose one',
    ],
    [{ cropToAspectRatio: 1 }, 'load: cropToAspectRatio must be true or false, got 1'],
    [{ labelMode: null, classNames: ['a'] }, /load: classNames needs labels; with labelMode null/],
    [{ classNames: [] }, 'load: classNames must be a list of folder names, got []'],
    [
      { classNames: ['a', 'b', 'a'] },
      "load: classNames must be a list of distinct names, got 'a' twice",
    ],
    [{ maxFileBytes: 0 }, 'load: maxFileBytes must be a positive integer, got 0'],
    [{ maxImageSide: 1.5 }, 'load: maxImageSide must be a positive integer, got 1.5'],
    [
      { batchSize: 32 },
      'load: unknown option batchSize; cnnlab returns the whole set as arrays, not batches',
    ],
    [
      { label_mode: 'int' },
      /load: unknown option label_mode; expected one of labelMode, classNames/,
    ],
  ])('%j', (options, expected) => {
    if (typeof expected === 'string') expect(message(options)).toBe(expected);
    else expect(message(options)).toMatch(expected);
  });

  it('allows a split without a seed when not shuffling, as Keras', () => {
    expect(
      resolveImageDatasetOptions(
        { validationSplit: 0.2, subset: 'training', shuffle: false },
        'load',
      ).subset,
    ).toBe('training');
  });
});
