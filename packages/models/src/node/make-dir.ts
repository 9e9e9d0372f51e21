import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ModelError, messageOf } from '../errors.js';

const code = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

/**
 * Creates the folder `dir` and any missing parents, like `mkdir -p`, one level at a time: it
 * finds the nearest ancestor that exists, then creates each missing folder below it with a plain
 * (non-recursive) mkdir, an EEXIST (a concurrent writer) being fine. Node 20's
 * `mkdir(dir, { recursive: true })` never settles for some paths, such as /proc/x/y; this fails
 * with a ModelError naming the folder instead.
 */
export async function makeDir(dir: string): Promise<void> {
  const target = resolve(dir);
  const fail = (error: unknown, why = messageOf(error)): never => {
    throw new ModelError(`cannot create the folder ${target}: ${why}`, {
      source: target,
      cause: error,
    });
  };
  const missing: string[] = [];
  let current = target;
  for (;;) {
    let found: Awaited<ReturnType<typeof stat>> | undefined;
    try {
      found = await stat(current);
    } catch (error) {
      // ENOTDIR: a file on the way up, which the next stat finds and names.
      if (code(error) !== 'ENOENT' && code(error) !== 'ENOTDIR') fail(error);
    }
    if (found) {
      if (!found.isDirectory()) fail(undefined, `${current} exists and is not a folder`);
      break;
    }
    const parent = dirname(current);
    // The root always exists; reaching it without finding anything means something odd.
    if (parent === current) fail(undefined, `${current} does not exist`);
    missing.push(current);
    current = parent;
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      if (code(error) === 'EEXIST') {
        // Made by someone else meanwhile: fine if it is a folder.
        const made = await stat(folder).catch(() => undefined);
        if (made?.isDirectory()) continue;
      }
      fail(error);
    }
  }
}
