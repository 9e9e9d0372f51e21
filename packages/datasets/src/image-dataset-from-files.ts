import type { Bytes } from './bytes.js';
import { DatasetError } from './errors.js';
import type {
  ImageDataset,
  ImageDatasetResult,
  ImageReader,
  UnlabeledImageDataset,
} from './image-dataset.js';
import { loadImageSubset } from './image-dataset.js';
import { indexImageFolder } from './image-dataset-index.js';
import {
  type ImageDatasetOptions,
  type LabelMode,
  resolveImageDatasetOptions,
} from './image-dataset-options.js';

/** One file of a dataset folder that is not on a disk: an upload, a zip entry, bytes in memory. */
export interface ImageFile {
  /**
   * Its path inside the dataset folder, '/'-separated, class folder first: `'cats/001.jpg'`.
   * (A File from `<input webkitdirectory>` has `webkitRelativePath` `'chosen/cats/001.jpg'`:
   * drop the first part.)
   */
  path: string;
  /** The bytes, a Blob or File (read when its turn comes), or a function that reads them. */
  data: Bytes | Blob | (() => Bytes | Promise<Bytes>);
  /** Its size in bytes if known before reading (a Blob's is), checked against maxFileBytes first. */
  size?: number;
}

type Labelled = ImageDatasetOptions & { labelMode?: LabelMode };
type Unlabelled = ImageDatasetOptions & { labelMode: null };

const FN = 'imageDatasetFromFiles';

const isBlob = (data: unknown): data is Blob =>
  typeof (data as Blob | undefined)?.arrayBuffer === 'function' &&
  typeof (data as Blob).size === 'number';

function reader(file: ImageFile): ImageReader {
  const { data } = file;
  if (isBlob(data)) return { size: file.size ?? data.size, read: () => data.arrayBuffer() };
  if (typeof data === 'function') return { size: file.size, read: data };
  return { size: file.size, read: () => data };
}

function checkFiles(files: Iterable<ImageFile>): Map<string, ImageFile> {
  if (files === null || typeof (files as Iterable<ImageFile>)?.[Symbol.iterator] !== 'function') {
    throw new DatasetError(
      `${FN}: files must be a list of { path, data } entries, got ${String(files)}`,
      {
        source: 'files',
      },
    );
  }
  const byPath = new Map<string, ImageFile>();
  let i = 0;
  for (const file of files) {
    const path = (file as ImageFile | undefined)?.path;
    const parts = typeof path === 'string' ? path.split('/') : [];
    if (
      parts.length === 0 ||
      parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))
    ) {
      throw new DatasetError(
        `${FN}: files[${i}].path is ${JSON.stringify(path)}; expected a relative '/'-separated path such as 'cats/001.jpg'`,
        { source: 'files' },
      );
    }
    if (byPath.has(path as string)) {
      throw new DatasetError(`${FN}: files[${i}].path '${path}' appears twice`, {
        source: 'files',
      });
    }
    byPath.set(path as string, file);
    i++;
  }
  return byPath;
}

/**
 * Keras's `image_dataset_from_directory` over files that are not on a disk (the browser's
 * uploads, a zip's entries), browser-safe: the same class folders, order, split, decoding and
 * resizing as `imageDatasetFromDirectory`, read one file at a time. Returns the whole subset as
 * arrays; subset 'both' returns `[training, validation]`.
 */
export function imageDatasetFromFiles(
  files: Iterable<ImageFile>,
  options: Unlabelled & { subset: 'both' },
): Promise<[UnlabeledImageDataset, UnlabeledImageDataset]>;
export function imageDatasetFromFiles(
  files: Iterable<ImageFile>,
  options: Unlabelled,
): Promise<UnlabeledImageDataset>;
export function imageDatasetFromFiles(
  files: Iterable<ImageFile>,
  options: Labelled & { subset: 'both' },
): Promise<[ImageDataset, ImageDataset]>;
export function imageDatasetFromFiles(
  files: Iterable<ImageFile>,
  options?: Labelled & { subset?: 'training' | 'validation' },
): Promise<ImageDataset>;
export function imageDatasetFromFiles(
  files: Iterable<ImageFile>,
  options?: ImageDatasetOptions,
): Promise<ImageDatasetResult>;
export async function imageDatasetFromFiles(
  files: Iterable<ImageFile>,
  options: ImageDatasetOptions = {},
): Promise<ImageDatasetResult> {
  const resolved = resolveImageDatasetOptions(options, FN);
  const byPath = checkFiles(files);
  const paths = [...byPath.keys()];
  const folders = [...new Set(paths.filter((p) => p.includes('/')).map((p) => p.split('/')[0]))];
  const index = indexImageFolder(
    { folders, files: paths },
    resolved,
    'files',
    "paths such as 'cats/001.jpg', 'dogs/001.jpg'",
  );
  const parts: (ImageDataset | UnlabeledImageDataset)[] = [];
  for (const items of index.parts) {
    parts.push(
      await loadImageSubset(
        items,
        index.classNames,
        resolved,
        (item) => reader(byPath.get(item.path) as ImageFile),
        (item) => item.path,
      ),
    );
  }
  return (resolved.subset === 'both' ? parts : parts[0]) as ImageDatasetResult;
}
