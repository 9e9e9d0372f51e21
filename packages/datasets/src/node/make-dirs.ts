import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

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
