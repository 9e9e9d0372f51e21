import { mkdir, rmdir, stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';

/** The error mkdir would give for a file where a folder must be. */
function notAFolder(path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`ENOTDIR: ${path} exists and is not a folder`);
  error.code = 'ENOTDIR';
  error.path = path;
  return error;
}

/**
 * `mkdir -p` one level at a time, for every cnnlab package that writes folders. Node 20's
 * `mkdir(dir, { recursive: true })` never settles for paths such as /proc/x/y (the kernel answers
 * ENOENT and Node retries the parent forever); this rejects with the plain mkdir error instead.
 * Folders made meanwhile by another writer are fine. Resolves to the topmost folder it created,
 * or undefined when `dir` already existed, so a caller can remove what a failed run made.
 */
export async function makeDirs(dir: string): Promise<string | undefined> {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    const found = await stat(current).catch((error: NodeJS.ErrnoException) => {
      // ENOTDIR: a file further up, which the next stat finds and names.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (found?.isDirectory()) break;
    if (found) throw notAFolder(current);
    const parent = dirname(current);
    if (parent === current) break;
    missing.unshift(current);
    current = parent;
  }
  for (const folder of missing) {
    await mkdir(folder).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      const made = await stat(folder).catch(() => undefined);
      if (!made?.isDirectory()) throw notAFolder(folder);
    });
  }
  return missing[0];
}

/**
 * Undoes `makeDirs` after a failure: removes `dir` and its parents up to and including `topmost`
 * (what makeDirs resolved to), each only while it is empty, so nothing anyone else put there is
 * lost. Does nothing when `topmost` is undefined (makeDirs created nothing). Never throws.
 */
export async function removeMadeDirs(dir: string, topmost: string | undefined): Promise<void> {
  if (topmost === undefined) return;
  const top = resolve(topmost);
  let current = resolve(dir);
  for (;;) {
    if (relative(top, current).startsWith('..')) return;
    const removed = await rmdir(current).then(
      () => true,
      () => false,
    );
    if (!removed || current === top) return;
    current = dirname(current);
  }
}
