import { type Image, type LabeledImages, toCategorical } from '@cnnlab/core';
import type { Bytes } from './bytes.js';
import { toColorMode } from './color-mode.js';
import { decodeImage } from './decode-image.js';
import { DatasetError } from './errors.js';
import type { IndexedImage } from './image-dataset-index.js';
import type { ResolvedImageDatasetOptions } from './image-dataset-options.js';
import { resizeImageInto } from './resize-image.js';

/**
 * A labelled folder of pictures: `images` `[n, h, w, c]` bytes, `labels` class indices (0/1 for
 * labelMode 'binary'), so it goes wherever the MNIST splits go.
 */
export interface ImageDataset extends LabeledImages {
  /** What each label means: the class folder's name. */
  classNames: string[];
  /** Where each picture came from, in the order of the images. */
  files: string[];
  /** labelMode 'categorical' only: the labels one-hot, float32 `[n, k]`, as Keras yields them. */
  categorical?: Image<Float32Array>;
}

/** Pictures without labels (labelMode null). */
export interface UnlabeledImageDataset {
  images: Image<Uint8Array>;
  files: string[];
}

/** What the two loaders return: one subset, or the [training, validation] pair of subset 'both'. */
export type ImageDatasetResult =
  | ImageDataset
  | UnlabeledImageDataset
  | [ImageDataset, ImageDataset]
  | [UnlabeledImageDataset, UnlabeledImageDataset];

/** One picture's bytes, and its size when known before reading (checked against the limit). */
export interface ImageReader {
  size?: number;
  read(): Bytes | Promise<Bytes>;
}

/**
 * Reads, decodes, converts and resizes the pictures one at a time into one `[n, h, w, c]` array,
 * so that memory holds the output, one file and one decoded picture. `open(item)` gives the
 * reader of each; `name(item)` what errors and `files` call it.
 */
export async function loadImageSubset(
  items: readonly IndexedImage[],
  classNames: string[],
  options: ResolvedImageDatasetOptions,
  open: (item: IndexedImage) => ImageReader,
  name: (item: IndexedImage) => string,
): Promise<ImageDataset | UnlabeledImageDataset> {
  const [h, w] = options.imageSize;
  const c = options.channels;
  const n = items.length;
  const each = h * w * c;
  let data: Uint8Array;
  try {
    data = new Uint8Array(n * each);
  } catch (cause) {
    throw new DatasetError(
      `${n} pictures of ${h}×${w}×${c} need ${n * each} bytes, more than can be allocated here; use a smaller imageSize, a subset of the classes or fewer pictures`,
      { source: 'imageSize', cause },
    );
  }
  const { maxFileBytes } = options.limits;
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const file = name(items[i]);
    files.push(file);
    const reader = open(items[i]);
    const tooBig = (size: number) =>
      new DatasetError(
        `${file}: ${size} bytes, more than maxFileBytes (${maxFileBytes}); expected a PNG or JPEG picture of at most that size`,
        { source: file },
      );
    if (reader.size !== undefined && reader.size > maxFileBytes) throw tooBig(reader.size);
    const bytes = await reader.read();
    if (bytes.byteLength > maxFileBytes) throw tooBig(bytes.byteLength);
    const decoded = toColorMode(
      decodeImage(bytes, { name: file, ...options.limits }),
      options.colorMode,
    );
    const [dh, dw] = decoded.shape;
    resizeImageInto(
      decoded.data,
      [dh, dw, c],
      { data, offset: i * each, height: h, width: w },
      options,
    );
  }
  const images = { data, shape: [n, h, w, c] };
  if (options.labelMode === null) return { images, files };
  const labels = Uint8Array.from(items, (item) => item.label);
  const out: ImageDataset = { images, labels, classNames: [...classNames], files };
  if (options.labelMode === 'categorical')
    out.categorical = toCategorical(labels, classNames.length);
  return out;
}
