import { COLOR_MODE_CHANNELS, type ColorMode } from './color-mode.js';
import { DatasetError } from './errors.js';
import { type ImageLimits, resolveImageLimits } from './image-limits.js';

/**
 * Keras's `label_mode`: `'int'` class indices (for sparse categorical cross-entropy),
 * `'categorical'` the indices plus a one-hot matrix, `'binary'` 0 or 1 (exactly two classes).
 * `null` reads no labels.
 */
export type LabelMode = 'int' | 'categorical' | 'binary';

/** Keras's `subset`: which part of a `validationSplit` to return; `'both'` gives the pair. */
export type ImageSubset = 'training' | 'validation' | 'both';

/** Options of `imageDatasetFromDirectory` and `imageDatasetFromFiles`, named as Keras's. */
export interface ImageDatasetOptions extends Partial<ImageLimits> {
  /** Default `'int'`; `null`: no labels, every picture under the folder (as Keras). */
  labelMode?: LabelMode | null;
  /** The class folders to read, in label order; default all of them, sorted by name. */
  classNames?: readonly string[];
  /** Default `'rgb'`. Grey from colour uses ITU-R 601 luma, as Pillow. */
  colorMode?: ColorMode;
  /** `[height, width]` (or one number for both) every picture is resized to; default [256, 256]. */
  imageSize?: number | readonly [number, number];
  /** Shuffle the file list (default true); false keeps Keras's order: by class, then by path. */
  shuffle?: boolean;
  /** Seed of the shuffle; required with `validationSplit` when shuffling, as in Keras. */
  seed?: number;
  /** Fraction in (0, 1) of the files kept for validation (the last ones, after shuffling). */
  validationSplit?: number;
  /** Which part of the split to return; required with `validationSplit`. */
  subset?: ImageSubset;
  /** Only Keras's default, `'bilinear'`, is implemented. */
  interpolation?: 'bilinear';
  /** Centre-crop each picture to the target's aspect ratio before resizing. */
  cropToAspectRatio?: boolean;
  /** Resize each picture to fit, keeping its aspect ratio, and pad it with zeros. */
  padToAspectRatio?: boolean;
}

/** The options with every default filled in and every value checked. */
export interface ResolvedImageDatasetOptions {
  labelMode: LabelMode | null;
  classNames: string[] | undefined;
  colorMode: ColorMode;
  channels: number;
  imageSize: [number, number];
  shuffle: boolean;
  seed: number;
  validationSplit: number | undefined;
  subset: ImageSubset | undefined;
  cropToAspectRatio: boolean;
  padToAspectRatio: boolean;
  limits: ImageLimits;
}

const KEYS = [
  'labelMode',
  'classNames',
  'colorMode',
  'imageSize',
  'shuffle',
  'seed',
  'validationSplit',
  'subset',
  'interpolation',
  'cropToAspectRatio',
  'padToAspectRatio',
  'maxFileBytes',
  'maxImageSide',
  'maxImagePixels',
];

const show = (value: unknown) => (typeof value === 'string' ? `'${value}'` : String(value));

/**
 * Checks the options as Keras's `image_dataset_from_directory` does before it reads a file, with
 * the same rules (a seed to split shuffled files, `subset` and `validationSplit` together), and
 * fills in its defaults. `fn` starts each message; `extraKeys` are the caller's own options.
 */
export function resolveImageDatasetOptions(
  options: ImageDatasetOptions,
  fn: string,
  extraKeys: readonly string[] = [],
): ResolvedImageDatasetOptions {
  // `shown` is the value as the message gives it, when show() would not do.
  const bad = (key: string, expected: string, value: unknown, shown = show(value)): never => {
    throw new DatasetError(`${fn}: ${key} must be ${expected}, got ${shown}`, { source: key });
  };
  if (typeof options !== 'object' || options === null) bad('options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (KEYS.includes(key) || extraKeys.includes(key)) continue;
    const why =
      key === 'batchSize'
        ? '; cnnlab returns the whole set as arrays, not batches'
        : `; expected one of ${[...KEYS, ...extraKeys].join(', ')}`;
    throw new DatasetError(`${fn}: unknown option ${key}${why}`, { source: key });
  }
  const o = options;
  const labelMode = o.labelMode === undefined ? 'int' : o.labelMode;
  if (labelMode !== null && !['int', 'categorical', 'binary'].includes(labelMode)) {
    bad('labelMode', "'int', 'categorical', 'binary' or null", labelMode);
  }
  const colorMode = o.colorMode ?? 'rgb';
  if (!Object.hasOwn(COLOR_MODE_CHANNELS, colorMode)) {
    bad('colorMode', "'grayscale', 'rgb' or 'rgba'", colorMode);
  }
  const size = o.imageSize ?? [256, 256];
  const pair = typeof size === 'number' ? [size, size] : size;
  if (
    !Array.isArray(pair) ||
    pair.length !== 2 ||
    !pair.every((d) => Number.isInteger(d) && d >= 1 && d <= 65535)
  ) {
    bad(
      'imageSize',
      '[height, width], two integers in 1..65535 (or one for both)',
      size,
      JSON.stringify(size),
    );
  }
  const shuffle = o.shuffle ?? true;
  if (typeof shuffle !== 'boolean') bad('shuffle', 'true or false', shuffle);
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) bad('seed', 'an integer', o.seed);
  // As Keras: 0 (or no value) means no split.
  const split = o.validationSplit === 0 ? undefined : o.validationSplit;
  if (split !== undefined && !(typeof split === 'number' && split > 0 && split < 1)) {
    bad('validationSplit', 'a fraction between 0 and 1', split);
  }
  const subset = o.subset;
  if (subset !== undefined && !['training', 'validation', 'both'].includes(subset)) {
    bad('subset', "'training', 'validation' or 'both'", subset);
  }
  if ((split === undefined) !== (subset === undefined)) {
    throw new DatasetError(
      `${fn}: subset and validationSplit go together; got ${split === undefined ? `subset ${show(subset)} without validationSplit` : `validationSplit ${split} without subset`}`,
      { source: split === undefined ? 'subset' : 'validationSplit' },
    );
  }
  if (split !== undefined && shuffle && o.seed === undefined) {
    throw new DatasetError(
      `${fn}: validationSplit with shuffle needs a seed, so that the training and validation subsets do not overlap (as Keras requires); pass seed`,
      { source: 'seed' },
    );
  }
  if (o.interpolation !== undefined && o.interpolation !== 'bilinear') {
    bad('interpolation', "'bilinear' (the only one implemented)", o.interpolation);
  }
  for (const key of ['cropToAspectRatio', 'padToAspectRatio'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') bad(key, 'true or false', o[key]);
  }
  if (o.cropToAspectRatio && o.padToAspectRatio) {
    throw new DatasetError(
      `${fn}: cropToAspectRatio and padToAspectRatio exclude each other; choose one`,
      { source: 'padToAspectRatio' },
    );
  }
  let classNames: string[] | undefined;
  if (o.classNames !== undefined) {
    if (labelMode === null) {
      throw new DatasetError(
        `${fn}: classNames needs labels; with labelMode null every picture is read and none is labelled`,
        { source: 'classNames' },
      );
    }
    const names = o.classNames;
    if (
      !Array.isArray(names) ||
      names.length === 0 ||
      !names.every((n) => typeof n === 'string' && n !== '')
    ) {
      bad('classNames', 'a list of folder names', names, JSON.stringify(names));
    }
    const repeated = names.find((n, i) => names.indexOf(n) !== i);
    if (repeated !== undefined)
      bad('classNames', 'a list of distinct names', repeated, `'${repeated}' twice`);
    classNames = [...names];
  }
  const limits = resolveImageLimits(o, fn);
  return {
    labelMode,
    classNames,
    colorMode,
    channels: COLOR_MODE_CHANNELS[colorMode],
    imageSize: [pair[0], pair[1]],
    shuffle,
    seed: o.seed ?? Math.floor(Math.random() * 2 ** 32),
    validationSplit: split,
    subset,
    cropToAspectRatio: o.cropToAspectRatio ?? false,
    padToAspectRatio: o.padToAspectRatio ?? false,
    limits,
  };
}
