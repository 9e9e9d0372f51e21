import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from '../errors.js';
import type { ImageFolderListing } from '../image-dataset-index.js';

const EXPECTED = 'expected a folder with one subfolder of pictures per class';

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  return stat(path).catch(() => undefined);
}

async function entries(path: string, shown: string): Promise<Dirent[]> {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch (cause) {
    throw new DatasetError(`${shown}: cannot be listed: ${(cause as Error).message}`, {
      source: shown,
      cause,
    });
  }
}

/**
 * Lists a dataset folder as Keras's `os.walk` sees it: its subfolders (a link to a folder counts,
 * as `os.path.isdir` follows links), and every file below, as '/'-separated relative paths,
 * leaving out hidden ones.
 * Links to folders below the top are entered only with `followLinks` (each real folder once, so
 * a link cycle ends); anything that is not a folder is listed as a file, for the reader to
 * accept or refuse by name (a FIFO, a broken link).
 */
export async function listImageFolder(
  dir: string,
  followLinks = false,
): Promise<ImageFolderListing> {
  let top: Stats;
  try {
    top = await stat(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'folder not found' : (cause as Error).message;
    throw new DatasetError(`${dir}: ${why}; ${EXPECTED}`, { source: dir, cause });
  }
  if (!top.isDirectory()) {
    throw new DatasetError(`${dir} is a file, not a folder; ${EXPECTED}`, { source: dir });
  }
  const folders: string[] = [];
  const files: string[] = [];
  const seen = new Set<string>();
  const walk = async (abs: string, rel: string, depth: number): Promise<void> => {
    if (followLinks) {
      const real = await realpath(abs).catch(() => abs);
      if (seen.has(real)) return;
      seen.add(real);
    }
    for (const entry of await entries(abs, join(dir, rel))) {
      // Hidden files and folders (.git, .DS_Store, macOS's ._ files) are never read.
      if (entry.name.startsWith('.')) continue;
      const relPath = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const absPath = join(abs, entry.name);
      let isDir = entry.isDirectory();
      let enter = isDir;
      if (entry.isSymbolicLink()) {
        isDir = (await statOrUndefined(absPath))?.isDirectory() ?? false;
        enter = isDir && (depth === 0 || followLinks);
      }
      if (isDir && depth === 0) folders.push(entry.name);
      if (enter) await walk(absPath, relPath, depth + 1);
      else if (!isDir) files.push(relPath);
    }
  };
  await walk(dir, '', 0);
  return { folders, files };
}
