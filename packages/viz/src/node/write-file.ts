import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { VizError } from '../errors.js';

/**
 * Writes through a temporary file in the same folder, then renames it over `path`, so a reader
 * never sees half a file.
 */
export async function writeFileAtomic(path: string, contents: Uint8Array | string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, contents);
    await rename(temp, path);
  } catch (cause) {
    await rm(temp, { force: true }).catch(() => undefined);
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new VizError(`cannot write ${path}: ${reason}`, { source: path, cause });
  }
}
