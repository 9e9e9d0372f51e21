import { join } from 'node:path';
import { DatasetError } from '../errors.js';
import type {
  ImageDataset,
  ImageDatasetResult,
  ImageReader,
  UnlabeledImageDataset,
} from '../image-dataset.js';
import { loadImageSubset } from '../image-dataset.js';
import { type IndexedImage, indexImageFolder } from '../image-dataset-index.js';
import {
  type ImageDatasetOptions,
  type LabelMode,
  resolveImageDatasetOptions,
} from '../image-dataset-options.js';
import { listImageFolder } from './list-image-folder.js';
import { openRegularFile } from './open-regular-file.js';

/** `imageDatasetFromDirectory`'s options: Keras's, and `followLinks` as its `follow_links`. */
export interface ImageDirectoryOptions extends ImageDatasetOptions {
  /** Enter links to folders inside the class folders (default false, as Keras). */
  followLinks?: boolean;
}

type Labelled = ImageDirectoryOptions & { labelMode?: LabelMode };
type Unlabelled = ImageDirectoryOptions & { labelMode: null };

const FN = 'imageDatasetFromDirectory';
const EXPECTED = 'expected a PNG or JPEG picture';

/**
 * Reads one file: only a regular file (not a FIFO, a device or a folder, also behind a link), its
 * size checked against the limit before a byte is read, then exactly that many bytes.
 */
function fileReader(path: string, maxFileBytes: number): ImageReader {
  return {
    async read() {
      const { handle, size } = await openRegularFile(path, EXPECTED);
      try {
        if (size > maxFileBytes) {
          throw new DatasetError(
            `${path}: ${size} bytes, more than maxFileBytes (${maxFileBytes}); ${EXPECTED} of at most that size`,
            { source: path },
          );
        }
        const bytes = new Uint8Array(size);
        let filled = 0;
        while (filled < size) {
          const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return bytes.subarray(0, filled);
      } catch (cause) {
        if (cause instanceof DatasetError) throw cause;
        throw new DatasetError(`${path}: cannot be read: ${(cause as Error).message}`, {
          source: path,
          cause,
        });
      } finally {
        await handle.close().catch(() => undefined);
      }
    },
  };
}

/**
 * Keras's `keras.utils.image_dataset_from_directory` for Node: one subfolder of `dir` per class
 * (labels 0..k-1 in sorted name order, or `classNames`' order), PNG and JPEG files at any depth
 * inside them, decoded, converted to `colorMode` and resized (bilinear) to `imageSize`. Returns
 * the whole subset as arrays, not tf.data batches; subset 'both' returns `[training, validation]`.
 * Errors are DatasetErrors naming the folder, file or option at fault.
 */
export function imageDatasetFromDirectory(
  dir: string,
  options: Unlabelled & { subset: 'both' },
): Promise<[UnlabeledImageDataset, UnlabeledImageDataset]>;
export function imageDatasetFromDirectory(
  dir: string,
  options: Unlabelled,
): Promise<UnlabeledImageDataset>;
export function imageDatasetFromDirectory(
  dir: string,
  options: Labelled & { subset: 'both' },
): Promise<[ImageDataset, ImageDataset]>;
export function imageDatasetFromDirectory(
  dir: string,
  options?: Labelled & { subset?: 'training' | 'validation' },
): Promise<ImageDataset>;
export function imageDatasetFromDirectory(
  dir: string,
  options?: ImageDirectoryOptions,
): Promise<ImageDatasetResult>;
export async function imageDatasetFromDirectory(
  dir: string,
  options: ImageDirectoryOptions = {},
): Promise<ImageDatasetResult> {
  if (typeof dir !== 'string' || dir === '') {
    throw new DatasetError(`${FN}: dir must be a folder path, got ${JSON.stringify(dir)}`, {
      source: 'dir',
    });
  }
  const { followLinks, ...rest } = options;
  if (followLinks !== undefined && typeof followLinks !== 'boolean') {
    throw new DatasetError(`${FN}: followLinks must be true or false, got ${String(followLinks)}`, {
      source: 'followLinks',
    });
  }
  const resolved = resolveImageDatasetOptions(rest, FN, ['followLinks']);
  const listing = await listImageFolder(dir, followLinks ?? false);
  const index = indexImageFolder(listing, resolved, dir);
  const pathOf = (item: IndexedImage) => join(dir, ...item.path.split('/'));
  const parts: (ImageDataset | UnlabeledImageDataset)[] = [];
  for (const items of index.parts) {
    parts.push(
      await loadImageSubset(
        items,
        index.classNames,
        resolved,
        (item) => fileReader(pathOf(item), resolved.limits.maxFileBytes),
        pathOf,
      ),
    );
  }
  return (resolved.subset === 'both' ? parts : parts[0]) as ImageDatasetResult;
}
