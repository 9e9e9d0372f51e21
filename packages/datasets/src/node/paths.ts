import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedMnistUrl } from '../embedded-location.js';

// Set by tsup.config.ts to the bundle's format; undefined when the sources run as they are (vitest).
declare const __CNNLAB_FORMAT__: string | undefined;

/**
 * Root of cnnlab's files, like `~/.keras`: `$CNNLAB_HOME` when set, else `~/.cnnlab`.
 */
export function cnnlabHome(): string {
  return process.env.CNNLAB_HOME || join(homedir(), '.cnnlab');
}

/** Where a downloaded dataset is cached: `<cnnlab home>/datasets/<name>`. */
export function defaultCacheDir(name: string): string {
  return join(cnnlabHome(), 'datasets', name);
}

/** Folder of the embedded MNIST files inside the installed package. */
export function embeddedMnistDir(): string {
  // In the CJS bundle import.meta.url is tsup's shim, a file URL made from __filename without
  // percent-encoding, so a `#` or `%` in the install path breaks it. __dirname is the plain path
  // of dist/ there.
  if (typeof __CNNLAB_FORMAT__ !== 'undefined' && __CNNLAB_FORMAT__ === 'cjs') {
    return join(__dirname, '..', 'data', 'mnist');
  }
  return fileURLToPath(embeddedMnistUrl()).replace(/[\\/]$/, '');
}
