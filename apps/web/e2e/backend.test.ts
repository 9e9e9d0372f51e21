// The backend the page chooses in a browser without a GPU (chromium --disable-gpu, as on many
// school machines): not software-rendered WebGL, wasm's threaded build on a cross-origin isolated
// page, and not slower than asking for wasm outright.
import { existsSync, mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, outDir, root, servePreview } from './harness';

let server: PreviewServer;
let browser: Browser;
let baseUrl: string;

interface BenchResult {
  id: string;
  crossOriginIsolated: boolean;
  threads: number | null;
  secondsPer1k: number;
}

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${baseUrl}${path}`);
  return { page, errors };
}

/** bench.html: 12 CNN training steps (batch 64, rmsprop) after two untimed ones. */
async function bench(query: string): Promise<BenchResult> {
  const { page, errors } = await open(`bench.html?steps=12&warmup=2${query}`);
  await page.waitForSelector('body[data-done]', { timeout: 60_000 });
  const result = JSON.parse((await page.textContent('#bench-json')) ?? '{}');
  expect(result.error, 'bench.html failed').toBeUndefined();
  expect(errors).toEqual([]);
  await page.close();
  return result;
}

beforeAll(async () => {
  if (!existsSync(`${root}dist/bench.html`)) throw new Error('e2e: run `pnpm build` first');
  mkdirSync(outDir, { recursive: true });
  ({ server, baseUrl } = await servePreview());
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the backend, in chromium without a GPU', () => {
  let defaultId: string | undefined;

  it('is not software-rendered WebGL: wasm, threaded build, on a cross-origin isolated page', async () => {
    const { page, errors } = await open('');
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    const data = await page.evaluate(() => ({ ...document.body.dataset }));
    defaultId = data.backend;
    expect(data.isolated).toBe('true');
    expect(data.backend).not.toBe('webgl-software');
    if (data.backend === 'wasm') {
      expect(data.threadedBuild).toBe('true');
      // tfjs-backend-wasm runs XNNPACK on half the logical cores, at least 1 and at most 8.
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      expect(Number(data.threads)).toBe(Math.min(8, Math.max(1, Math.floor(cores / 2))));
    }
    expect(await page.textContent('#backend-summary')).toContain('cross-origin isolated');
    // Why WebGL was passed over: --disable-gpu leaves chromium SwiftShader, or no WebGL at all.
    const tried = await page.locator('#backend-tried li').allTextContents();
    expect(tried.find((line) => line.includes(' webgl: '))).toMatch(
      /^✗ webgl: (WebGL is software-rendered \(\w[^)]*\): wasm is faster|no WebGL context)/,
    );
    expect(await page.textContent('#backend-reason')).toContain('webgl: ');
    await page.locator('#backend-panel').screenshot({ path: `${outDir}backend.png` });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('trains the CNN at least as fast as ?backend=wasm does', async () => {
    // Alternating runs, the best of each: the machine's other work slows single runs.
    const times = { default: [] as number[], wasm: [] as number[] };
    let chosen: BenchResult | undefined;
    let wasm: BenchResult | undefined;
    for (let round = 0; round < 2; round++) {
      chosen = await bench('');
      times.default.push(chosen.secondsPer1k);
      wasm = await bench('&backend=wasm');
      times.wasm.push(wasm.secondsPer1k);
    }
    const best = { default: Math.min(...times.default), wasm: Math.min(...times.wasm) };
    console.log(
      `e2e: workshop CNN, s per 1,000 images: default (${chosen?.id}) ${times.default
        .map((t) => t.toFixed(2))
        .join(', ')}; ?backend=wasm ${times.wasm.map((t) => t.toFixed(2)).join(', ')}`,
    );
    expect(chosen?.id).toBe(defaultId);
    expect(chosen?.crossOriginIsolated).toBe(true);
    if (chosen?.id === 'wasm') {
      // The default is wasm itself: the same build on the same threads, so the same speed; timing
      // two identical runs against each other would measure only the machine's other work.
      expect({ id: chosen.id, threads: chosen.threads }).toEqual({
        id: wasm?.id,
        threads: wasm?.threads,
      });
    } else {
      expect(best.default).toBeLessThanOrEqual(best.wasm * 1.25);
    }
  });
});
