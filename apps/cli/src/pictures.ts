// The user's own pictures: a folder of class subfolders read with the datasets package's
// imageDatasetFromDirectory, and single pictures made the same way for predict.
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import {
  classCounts,
  DatasetError,
  decodeImage,
  IMAGE_LIMITS,
  type Image,
  type ImageDataset,
  imageDatasetFromDirectory,
  resizeImage,
  toColorMode,
} from '@cnnlab/datasets/node';
import { CliError } from './errors.js';

/** The `dataset` a model folder's record names when the model learnt the user's pictures. */
export const PICTURES = 'images';

/** The colour modes --color-mode offers (rgba's alpha says nothing about a picture's class). */
export const COLOR_MODES = ['rgb', 'grayscale'] as const;
export type PictureColorMode = (typeof COLOR_MODES)[number];

/** The default side pictures are resized to: small enough to train on a laptop's CPU. */
export const DEFAULT_PICTURE_SIZE = 64;

/** How every picture is made before the network sees it. */
export interface PictureFormat {
  /** Side of the square each picture is resized to (bilinear, stretched, as Keras does). */
  size: number;
  colorMode: PictureColorMode;
}

/** The channels a picture of each colour mode has. */
export const channelsOf = (mode: PictureColorMode): number => (mode === 'rgb' ? 3 : 1);

/** The largest side a model folder's record may give its pictures. */
export const MAX_PICTURE_SIZE = 4096;

/**
 * How a model whose record holds no pictures folder (one imported from a Keras file) takes
 * pictures: its input shape `[null, size, size, 1 | 3]` says the side and the colour mode.
 */
export function pictureFormatOf(
  inputShape: readonly (number | null)[],
  where: string,
): PictureFormat {
  const [, h, w, c] = inputShape;
  const shape = `[${inputShape.map((d) => d ?? 'null').join(', ')}]`;
  if (
    inputShape.length !== 4 ||
    !(Number.isSafeInteger(h) && (h as number) >= 1 && (h as number) <= MAX_PICTURE_SIZE) ||
    h !== w ||
    (c !== 1 && c !== 3)
  ) {
    throw new CliError(
      `${where} takes input ${shape}; a picture model takes square pictures [null, size, size, 1 or 3] of at most ${MAX_PICTURE_SIZE} pixels a side`,
    );
  }
  return { size: h as number, colorMode: c === 3 ? 'rgb' : 'grayscale' };
}

/** The reader's errors (missing folder, one class, a broken file) already name what is wrong. */
async function reading<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DatasetError) throw new CliError(error.message, { cause: error });
    throw error;
  }
}

/**
 * The folder split into training and testing pictures: the last `validationSplit` of the seeded
 * shuffle is held out, so the same folder, fraction and seed give the same test pictures again.
 */
export function readPictureSplit(
  dir: string,
  format: PictureFormat,
  split: { validationSplit: number; seed: number; classNames?: string[] },
): Promise<[ImageDataset, ImageDataset]> {
  return reading(() =>
    imageDatasetFromDirectory(dir, {
      imageSize: format.size,
      colorMode: format.colorMode,
      validationSplit: split.validationSplit,
      subset: 'both',
      seed: split.seed,
      ...(split.classNames ? { classNames: split.classNames } : {}),
    }),
  );
}

/** Every picture of the folder, labelled in the order of `classNames` (the model's classes). */
export function readAllPictures(
  dir: string,
  format: PictureFormat,
  classNames: string[],
): Promise<ImageDataset> {
  return reading(() =>
    imageDatasetFromDirectory(dir, {
      imageSize: format.size,
      colorMode: format.colorMode,
      classNames,
      shuffle: false,
    }),
  );
}

/** How many pictures of each class the labels hold, by class name. */
export function perClass(labels: ArrayLike<number>, classNames: string[]): Record<string, number> {
  const counts = classCounts(labels, classNames.length);
  return Object.fromEntries(classNames.map((name, i) => [name, counts[i] ?? 0]));
}

/** "circle 32, square 31". */
export function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
}

const PICTURE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

/** The files to predict: each file as named, each folder's PNG and JPEG files in name order. */
export async function picturePaths(args: string[]): Promise<string[]> {
  const paths: string[] = [];
  for (const arg of args) {
    const info = await stat(arg).catch(() => undefined);
    if (!info?.isDirectory()) {
      paths.push(arg);
      continue;
    }
    const names = (await readdir(arg))
      .filter((n) => !n.startsWith('.') && PICTURE_EXTENSIONS.includes(extname(n).toLowerCase()))
      .sort();
    if (names.length === 0) {
      throw new CliError(
        `${arg} holds no .png, .jpg or .jpeg files; expected pictures to classify`,
      );
    }
    paths.push(...names.map((n) => join(arg, n)));
  }
  return paths;
}

/**
 * One picture as training made it: decoded, converted to the colour mode, then resized, the
 * order imageDatasetFromDirectory uses. `[1, size, size, channels]` bytes.
 */
export async function readPicture(path: string, format: PictureFormat): Promise<Image<Uint8Array>> {
  const expected = 'expected a PNG or JPEG picture';
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    const why = error.code === 'ENOENT' ? 'does not exist' : `cannot be read (${error.code})`;
    throw new CliError(`${path} ${why}; ${expected}`);
  });
  if (!info.isFile()) throw new CliError(`${path} is not a regular file; ${expected}`);
  if (info.size > IMAGE_LIMITS.maxFileBytes) {
    throw new CliError(
      `${path}: ${info.size} bytes, more than ${IMAGE_LIMITS.maxFileBytes}; ${expected} of at most that size`,
    );
  }
  const bytes = await readFile(path).catch((error: Error) => {
    throw new CliError(`${path} cannot be read: ${error.message}`, { cause: error });
  });
  const { size, colorMode } = format;
  try {
    const decoded = toColorMode(decodeImage(bytes, { name: path, ...IMAGE_LIMITS }), colorMode);
    const resized = resizeImage(decoded, [size, size]) as Image<Uint8Array>;
    return { data: resized.data, shape: [1, size, size, channelsOf(colorMode)] };
  } catch (error) {
    if (error instanceof DatasetError) throw new CliError(error.message, { cause: error });
    throw error;
  }
}
