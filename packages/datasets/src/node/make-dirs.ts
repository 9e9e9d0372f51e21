import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p` one level at a time. Node 20's `mkdir(dir, { recursive: true })` never settles for
 * paths such as /proc/x/y (the kernel answers ENOENT and Node retries the parent forever); this
 * rejects with the plain mkdir error instead.
 */
export async function makeDirs(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    const found = await stat(current).catch((error: NodeJS.ErrnoException) => {
      // ENOTDIR: a file further up, which the next stat finds and names.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (found?.isDirectory()) break;
    if (found) {
      // Worded and coded like the mkdir error it stands for.
      const error: NodeJS.ErrnoException = new Error(
        `ENOTDIR: ${current} exists and is not a folder`,
      );
      error.code = 'ENOTDIR';
      throw error;
    }
    const parent = dirname(current);
    if (parent === current) break;
    missing.unshift(current);
    current = parent;
  }
  for (const folder of missing) {
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}
