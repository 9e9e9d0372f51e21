// What the e2e files share: Debian's chromium (never a downloaded one), its flags, and the built
// app served by `vite preview` with the project's config (cross-origin isolated).
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';
import { CHROMIUM_ARGS, findChromium } from '../../../tests/chromium';

export { CHROMIUM_ARGS, findChromium };

export const root = fileURLToPath(new URL('..', import.meta.url));
export const outDir = fileURLToPath(new URL('../test-output/', import.meta.url));

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
