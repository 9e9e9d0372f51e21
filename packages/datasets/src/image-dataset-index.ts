import { permutation } from '@cnnlab/core';
import { DatasetError } from './errors.js';
import type { ResolvedImageDatasetOptions } from './image-dataset-options.js';

/** What a dataset folder holds, however it was listed (a walk of the disk, a list of Files). */
export interface ImageFolderListing {
  /** Its subfolders, by name (hidden ones included: the index leaves them out). */
  folders: readonly string[];
  /** Every file under it, as a '/'-separated path relative to it: 'cats/001.jpg'. */
  files: readonly string[];
}

/** One picture to read, with its class index (0 when there are no labels). */
export interface IndexedImage {
  path: string;
  label: number;
}

/** The classes and, per subset asked for, the pictures in the order they are returned. */
export interface ImageIndex {
  classNames: string[];
  /** One list, or two (training, validation) for subset 'both'. */
  parts: IndexedImage[][];
}

// The extensions Keras's allowlist shares with what cnnlab decodes (Keras also takes bmp and gif).
const EXTENSIONS = ['.png', '.jpg', '.jpeg'];

/** Python's `sorted` order for strings: by code point, not by UTF-16 unit as `<` compares. */
export function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i].codePointAt(0) as number) - (y[i].codePointAt(0) as number);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const isHidden = (path: string) => path.split('/').some((part) => part.startsWith('.'));
export const isImagePath = (path: string) => EXTENSIONS.some((e) => path.toLowerCase().endsWith(e));

/**
 * Keras's walk order inside one folder: `os.walk` roots sorted as strings, then the file names
 * of each root sorted. So `cats/a.png` comes before `cats/sub/b.png`, and `cats/x-y/b.png` before
 * `cats/x/sub/a.png` ('-' sorts before '/'), not as whole paths would sort.
 */
function walkOrder(paths: string[]): string[] {
  const split = paths.map((p) => {
    const cut = p.lastIndexOf('/');
    return { path: p, root: cut < 0 ? '' : p.slice(0, cut), name: p.slice(cut + 1) };
  });
  split.sort((a, b) => compareCodePoints(a.root, b.root) || compareCodePoints(a.name, b.name));
  return split.map((s) => s.path);
}

function describeIgnored(files: readonly string[]): string {
  const others = files.filter((f) => !isHidden(f) && !isImagePath(f));
  if (others.length === 0) return '';
  const kinds = [
    ...new Set(others.map((f) => f.match(/\.[^./]*$/)?.[0].toLowerCase() ?? '(none)')),
  ];
  return `; ${others.length} other file${others.length === 1 ? '' : 's'} ignored (${kinds.slice(0, 5).join(', ')})`;
}

/**
 * Keras's `index_directory` and `get_training_or_validation_split`: the class folders (sorted,
 * or `classNames` in its order), the pictures of each (PNG and JPEG by extension, hidden files
 * and folders left out), shuffled as one list with the seed, then the last `validationSplit` of
 * them kept for validation. `where` names the dataset in errors, `example` shows a layout.
 */
export function indexImageFolder(
  listing: ImageFolderListing,
  options: ResolvedImageDatasetOptions,
  where: string,
  example = `${where}/cats/…, ${where}/dogs/…`,
): ImageIndex {
  const { labelMode } = options;
  let classNames: string[] = [];
  let items: IndexedImage[];
  if (labelMode === null) {
    // As Keras with labels=None: every picture under the folder, at any depth, top level too.
    const paths = listing.files.filter((f) => !isHidden(f) && isImagePath(f));
    items = walkOrder(paths).map((path) => ({ path, label: 0 }));
  } else {
    const folders = listing.folders.filter((f) => !f.startsWith('.')).sort(compareCodePoints);
    if (folders.length === 0) {
      const loose = listing.files.some((f) => !f.includes('/') && isImagePath(f));
      throw new DatasetError(
        `${where}: no class subfolders; expected one subfolder per class (${example})${loose ? '. Pictures directly in it are ignored when labels are inferred; use labelMode null to read them unlabelled' : ''}`,
        { source: where },
      );
    }
    if (options.classNames) {
      const missing = options.classNames.filter((n) => !folders.includes(n));
      if (missing.length > 0) {
        throw new DatasetError(
          `${where}: classNames ${missing.map((m) => `'${m}'`).join(', ')} ${missing.length === 1 ? 'is not a subfolder' : 'are not subfolders'}; its class folders are ${folders.map((f) => `'${f}'`).join(', ')}`,
          { source: 'classNames' },
        );
      }
    }
    classNames = options.classNames ?? folders;
    const k = classNames.length;
    if (labelMode === 'binary' && k !== 2) {
      throw new DatasetError(
        `${where}: labelMode 'binary' needs exactly 2 classes, found ${k} (${classNames.join(', ')})`,
        { source: 'labelMode' },
      );
    }
    if (k === 1) {
      throw new DatasetError(
        `${where}: only one class folder ('${classNames[0]}'); labels need at least two classes. Add a subfolder per class, or use labelMode null to read the pictures unlabelled`,
        { source: where },
      );
    }
    if (k > 256) {
      throw new DatasetError(
        `${where}: ${k} class folders; cnnlab's labels are bytes, so at most 256 classes (use labelMode null and the files list for more)`,
        { source: where },
      );
    }
    const byClass = new Map<string, string[]>(classNames.map((c) => [c, []]));
    for (const file of listing.files) {
      const cut = file.indexOf('/');
      if (cut < 0 || isHidden(file) || !isImagePath(file)) continue;
      byClass.get(file.slice(0, cut))?.push(file);
    }
    items = classNames.flatMap((c, label) =>
      walkOrder(byClass.get(c) as string[]).map((path) => ({ path, label })),
    );
  }
  if (items.length === 0) {
    const inside =
      labelMode === null ? 'under it' : `in its class folders (${classNames.join(', ')})`;
    throw new DatasetError(
      `${where}: no PNG or JPEG pictures ${inside}; expected files ending .png, .jpg or .jpeg${describeIgnored(listing.files)}`,
      { source: where },
    );
  }
  if (options.shuffle) {
    // One permutation of the whole list, as Keras shuffles paths and labels with one seed.
    const order = permutation(items.length, options.seed);
    items = Array.from(order, (i) => items[i]);
  }
  if (options.validationSplit === undefined) return { classNames, parts: [items] };
  const n = items.length;
  const nVal = Math.trunc(options.validationSplit * n);
  if (nVal === 0 || nVal === n) {
    throw new DatasetError(
      `${where}: validationSplit ${options.validationSplit} of ${n} picture${n === 1 ? '' : 's'} leaves the ${nVal === 0 ? 'validation' : 'training'} subset empty; use more pictures or another validationSplit`,
      { source: 'validationSplit' },
    );
  }
  const training = items.slice(0, n - nVal);
  const validation = items.slice(n - nVal);
  const parts =
    options.subset === 'both'
      ? [training, validation]
      : options.subset === 'training'
        ? [training]
        : [validation];
  return { classNames, parts };
}
