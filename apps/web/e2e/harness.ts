// What the e2e files share: Debian's chromium (never a downloaded one), its flags, and the built
// app served by `vite preview` with the project's config (cross-origin isolated).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const outDir = fileURLToPath(new URL('../test-output/', import.meta.url));

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

export function findChromium(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error(
    'e2e: no chromium on PATH (Debian: apt-get install chromium), or set CHROMIUM_PATH',
  );
}

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/** `vite preview` of dist/ on a free port of 127.0.0.1, and its address. */
export async function servePreview(): Promise<{ server: PreviewServer; baseUrl: string }> {
  const server = await preview({
    root,
    logLevel: 'error',
    preview: { port: 0, host: '127.0.0.1' },
  });
  return { server, baseUrl: server.resolvedUrls?.local[0] ?? '' };
}
