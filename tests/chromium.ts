// Debian's chromium for every browser test of the repository (the page's e2e suite, the CLI's
// report screenshots): found on PATH, never downloaded, started with the same flags.
import { execFileSync } from 'node:child_process';

/** Headless, no GPU (as on many school machines), nothing fetched from the network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** CHROMIUM_PATH, else `chromium` or `chromium-browser` on PATH; an error saying how to get one. */
export function findChromium(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error('no chromium on PATH (Debian: apt-get install chromium), or set CHROMIUM_PATH');
}
