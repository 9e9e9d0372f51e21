// What the e2e files share: Debian's chromium (never a downloaded one), its flags, and the built
// app served by `vite preview` with the project's config (cross-origin isolated).
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll } from 'vitest';
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

/**
 * For a whole test file: the built app served and chromium launched before its tests (test-output/
 * made), both closed after them. Read `browser` and `baseUrl` inside the tests. `args` are added
 * to chromium's flags (a fake camera, say).
 */
export function servedApp(args: string[] = []): {
  readonly browser: Browser;
  readonly baseUrl: string;
} {
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  beforeAll(async () => {
    if (!existsSync(`${root}dist/index.html`)) throw new Error('e2e: run `pnpm build` first');
    mkdirSync(outDir, { recursive: true });
    ({ server, baseUrl } = await servePreview());
    browser = await launchChromium(args);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('e2e: the browser has not started');
      return browser;
    },
    get baseUrl() {
      return baseUrl;
    },
  };
}
