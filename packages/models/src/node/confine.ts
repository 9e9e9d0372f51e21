import { realpath } from 'node:fs/promises';
import { isAbsolute, join, posix, relative, sep, win32 } from 'node:path';
import { ModelError } from '../errors.js';

/**
 * Why a path that a model.json names may not be followed, judged on the text alone: it must be
 * relative, without `..` (either slash counts) or NUL. Undefined when it passes.
 */
export function lexicalProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'not a file name';
  if (name.includes('\0')) return 'a name with a NUL byte';
  if (isAbsolute(name) || posix.isAbsolute(name) || win32.isAbsolute(name)) {
    return 'an absolute path';
  }
  if (name.split(/[\\/]/).includes('..')) return 'a path that climbs out with ".."';
  return undefined;
}

/** The key two manifest paths share when they name the same file of the folder. */
export function folderKey(name: string): string {
  return posix.normalize(name.replace(/\\/g, '/'));
}

/** Whether the real path `real` lies strictly inside the real folder `realDir`. */
export function isInside(realDir: string, real: string): boolean {
  const rel = relative(realDir, real);
  return rel !== '' && !isAbsolute(rel) && rel.split(sep)[0] !== '..';
}

/**
 * The real path of the file `name` in the model folder `dir` (whose real path is `realDir`),
 * checked to stay inside it: no absolute path, no `..`, and no link leading out. `what` describes
 * the reference in messages ("weights file", with the model.json that names it in `namedIn`).
 * A missing file rejects with the errno error (code ENOENT) for the caller to word.
 */
export async function confinedPath(
  dir: string,
  realDir: string,
  name: unknown,
  what: string,
  namedIn: string,
): Promise<string> {
  const problem = lexicalProblem(name);
  if (problem) {
    throw new ModelError(
      `${namedIn} names ${what} ${JSON.stringify(name)}, ${problem}; expected a path inside ${dir}`,
      { source: namedIn },
    );
  }
  const path = join(dir, name as string);
  const real = await realpath(path);
  if (!isInside(realDir, real)) {
    throw new ModelError(
      `${what} ${path} named in ${namedIn} leads to ${real}, outside ${dir}; expected a file inside the model folder`,
      { source: path },
    );
  }
  return real;
}
