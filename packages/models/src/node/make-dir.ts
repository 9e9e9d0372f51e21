import { resolve } from 'node:path';
import { makeDirs } from '@cnnlab/core/node';
import { ModelError, messageOf } from '../errors.js';

/**
 * Creates the folder `dir` and any missing parents with @cnnlab/core's `makeDirs` (not
 * `mkdir({ recursive: true })`, which never settles for paths such as /proc/x/y in Node 20),
 * failing with a ModelError that names the folder.
 */
export async function makeDir(dir: string): Promise<void> {
  const target = resolve(dir);
  try {
    await makeDirs(target);
  } catch (error) {
    throw new ModelError(`cannot create the folder ${target}: ${messageOf(error)}`, {
      source: target,
      cause: error,
    });
  }
}
