import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedMnistUrl } from '../embedded-location.js';

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
  return fileURLToPath(embeddedMnistUrl()).replace(/[\\/]$/, '');
}
