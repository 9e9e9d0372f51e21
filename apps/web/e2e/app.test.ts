// End-to-end tests: the built app (dist/, from `pnpm build`) served by `vite preview`, driven in
// Debian's headless chromium through playwright-core. No browser is ever downloaded.
import { existsSync, mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { createServer, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, outDir, root, servePreview } from './harness';

let server: PreviewServer;
let browser: Browser;
let baseUrl: string;

async function openPage(viewport = { width: 1280, height: 800 }, query = '') {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${baseUrl}${query}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { page, errors };
}

async function train(page: Page) {
  await page.selectOption('#model-kind', 'dense');
  await page.fill('#train-size', '1024');
  await page.fill('#train-epochs', '1');
  await page.click('#train-button');
  await page.waitForFunction(() => document.querySelector('#test-acc')?.textContent !== '–', null, {
    timeout: 60_000,
  });
  return Number(await page.textContent('#test-acc'));
}

/** A tiny CSV in Kaggle's layout: labels A (0), B (1), C (2, dropped), V (21). */
function tinySignCsv() {
  const rows = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i + 1}`)].join(',');
  const labels = [0, 1, 2, 21, 0, 21];
  const body = labels.map((label, k) =>
    [label, ...Array.from({ length: 784 }, (_, i) => (i * 7 + k * 31) % 256)].join(','),
  );
  return {
    name: 'sign_mnist_tiny.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from([rows, ...body].join('\n')),
  };
}

beforeAll(async () => {
  if (!existsSync(`${root}dist/index.html`)) throw new Error('e2e: run `pnpm build` first');
  mkdirSync(outDir, { recursive: true });
  ({ server, baseUrl } = await servePreview());
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the workshop page', () => {
  it('loads with no console error and shows the digits', async () => {
    const { page, errors } = await openPage();
    expect(await page.textContent('#status')).toMatch(/^Ready/);
    await page.screenshot({ path: `${outDir}loaded.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows -7 as the worked example's first 'valid' output", async () => {
    const { page, errors } = await openPage();
    await page.selectOption('#filter-name', 'edge-detector');
    await page.selectOption('#filter-mode', 'valid');
    expect((await page.textContent('#conv-first'))?.trim()).toBe('-7');
    expect(await page.locator('#conv-output tr').count()).toBe(3);
    await page.selectOption('#filter-mode', 'same');
    expect(await page.locator('#conv-output tr').count()).toBe(5);
    await page.fill('#filter-stride', '2');
    expect(await page.locator('#conv-output tr').count()).toBe(3);
    await page.locator('section:has(#conv-output)').screenshot({ path: `${outDir}filters.png` });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('trains briefly above chance, then predicts a drawn digit', async () => {
    const { page, errors } = await openPage();
    const started = Date.now();
    const accuracy = await train(page);
    console.log(
      `e2e: dense network, 1 epoch on 1,024 digits: test accuracy ${accuracy} in ${
        (Date.now() - started) / 1000
      } s on backend ${await page.getAttribute('body', 'data-backend')}`,
    );
    expect(accuracy).toBeGreaterThan(0.3);
    await page.locator('section:has(#train-chart)').screenshot({ path: `${outDir}training.png` });

    // The live chart: Vega's SVG with one line per metric through all 8 batches, and its legend.
    const chart = await page.evaluate(() => {
      const container = document.querySelector('#train-chart');
      const svg = container?.querySelector(':scope > svg');
      const lines = [...(svg?.querySelectorAll('g.mark-line.role-mark path') ?? [])];
      return {
        roleDescription: container?.getAttribute('aria-roledescription'),
        label: container?.getAttribute('aria-label'),
        strokes: lines.map((path) => path.getAttribute('stroke')),
        // A line through n points: M, then n - 1 L commands.
        vertices: lines.map((path) => (path.getAttribute('d')?.match(/[ML]/g) ?? []).length),
        legend: [...(svg?.querySelectorAll('.role-legend-label text') ?? [])].map(
          (t) => t.textContent,
        ),
        axes: [...(svg?.querySelectorAll('.role-axis-title text') ?? [])].map((t) => t.textContent),
        // The layout follows the data: legend and axis titles lie within the SVG, none clipped.
        clipped: [...(svg?.querySelectorAll('.role-legend text, .role-axis text') ?? [])].filter(
          (text) => {
            const [outer, inner] = [svg, text].map((el) => el?.getBoundingClientRect());
            return (
              !outer ||
              !inner ||
              inner.top < outer.top - 0.5 ||
              inner.bottom > outer.bottom + 0.5 ||
              inner.left < outer.left - 0.5 ||
              inner.right > outer.right + 0.5
            );
          },
        ).length,
      };
    });
    expect(chart.roleDescription).toBe('visualization');
    expect(chart.label).toContain('Loss and accuracy per batch');
    expect(chart.legend).toEqual(['accuracy', 'loss']);
    expect(chart.axes).toEqual(['Batch']);
    expect(chart.clipped).toBe(0);
    expect(chart.vertices).toEqual([8, 8]);
    expect(new Set(chart.strokes).size).toBe(2);

    // Draw a "1": a vertical stroke down the middle of the canvas.
    await page.locator('#draw').scrollIntoViewIfNeeded();
    const box = await page.locator('#draw').boundingBox();
    if (!box) throw new Error('e2e: the drawing canvas is not visible');
    await page.mouse.move(box.x + 140, box.y + 40);
    await page.mouse.down();
    for (let y = 40; y <= 240; y += 10) await page.mouse.move(box.x + 140, box.y + y);
    await page.mouse.up();
    await page.waitForFunction(() =>
      /^\d \(/.test(document.querySelector('#prediction')?.textContent ?? ''),
    );
    const prediction = await page.textContent('#prediction');
    console.log(`e2e: drawn stroke predicted as ${prediction}`);
    await page.locator('section:has(#draw)').screenshot({ path: `${outDir}drawing.png` });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('serves the wasm backend offline and trains on it', async () => {
    const { page, errors } = await openPage(undefined, '?backend=wasm');
    expect(await page.getAttribute('body', 'data-backend')).toBe('wasm');
    const accuracy = await train(page);
    expect(accuracy).toBeGreaterThan(0.3);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('trains the CNN briefly (wasm) and shows its activation grids', async () => {
    // wasm with cnnlab's training kernels: far faster than webgl's software GL under --disable-gpu.
    const { page, errors } = await openPage(undefined, '?backend=wasm');
    await page.selectOption('#model-kind', 'cnn');
    await page.fill('#train-size', '256');
    await page.fill('#train-epochs', '1');
    await page.click('#train-button');
    await page.waitForFunction(
      () => document.querySelector('#test-acc')?.textContent !== '–',
      null,
      {
        timeout: 60_000,
      },
    );
    await page.click('#act-show');
    expect(await page.locator('#act-grids canvas').count()).toBeGreaterThanOrEqual(3);
    await page.locator('section:has(#act-grids)').screenshot({ path: `${outDir}activations.png` });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reads an uploaded Sign-MNIST CSV, keeps rock, paper and scissors, trains on it', async () => {
    const { page, errors } = await openPage(undefined, '?backend=wasm');
    await page.setInputFiles('#sign-file', tinySignCsv());
    await page.waitForFunction(() =>
      /^5 images of 3 classes/.test(document.querySelector('#sign-summary')?.textContent ?? ''),
    );
    expect(await page.textContent('#sign-summary')).toContain('A, B, V');
    await page.click('#sign-train');
    await page.waitForFunction(() =>
      /^training accuracy \d/.test(document.querySelector('#sign-acc')?.textContent ?? ''),
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('also starts from the dev server (pnpm dev) with no console error', async () => {
    const dev = await createServer({
      root,
      logLevel: 'error',
      server: { port: 0, host: '127.0.0.1' },
    });
    try {
      await dev.listen();
      const url = dev.resolvedUrls?.local[0] ?? '';
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(url);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 45_000 });
      expect(await page.textContent('#status')).toMatch(/^Ready/);
      // server.headers make the dev page cross-origin isolated too: wasm loads its threaded build.
      expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
      expect(await page.getAttribute('body', 'data-threaded-build')).toBe('true');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await dev.close();
    }
  });

  it('hides the webcam without a camera, and predicts rock-paper-scissors from a fake one', async () => {
    const { page, errors } = await openPage();
    expect(await page.locator('#webcam').isHidden()).toBe(true);
    await page.close();
    expect(errors).toEqual([]);

    const withCamera = await launchChromium([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ]);
    try {
      const cameraPage = await withCamera.newPage({ viewport: { width: 1280, height: 800 } });
      const cameraErrors: string[] = [];
      cameraPage.on('pageerror', (error) => cameraErrors.push(error.message));
      await cameraPage.goto(`${baseUrl}?backend=wasm`);
      await cameraPage.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      await cameraPage.setInputFiles('#sign-file', tinySignCsv());
      await cameraPage.waitForFunction(
        () => !(document.querySelector('#sign-train') as HTMLButtonElement).disabled,
      );
      await cameraPage.click('#sign-train');
      await cameraPage.waitForFunction(() =>
        /^training accuracy/.test(document.querySelector('#sign-acc')?.textContent ?? ''),
      );
      await cameraPage.click('#webcam-start');
      await cameraPage.waitForFunction(() =>
        /^[ABV] \((rock|paper|scissors)\)/.test(
          document.querySelector('#webcam-prediction')?.textContent ?? '',
        ),
      );
      await cameraPage.locator('#webcam').screenshot({ path: `${outDir}webcam.png` });
      expect(cameraErrors).toEqual([]);
    } finally {
      await withCamera.close();
    }
  });

  it('fits a phone-sized viewport without horizontal overflow', async () => {
    const { page, errors } = await openPage({ width: 390, height: 844 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    await page.screenshot({ path: `${outDir}phone.png`, fullPage: true });
    expect(overflow).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reaches the controls with the keyboard, each with a label', async () => {
    const { page } = await openPage();
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, button, canvas')]
        .filter((el) => {
          const id = el.id;
          const byFor = id && document.querySelector(`label[for="${id}"]`);
          return !byFor && !el.getAttribute('aria-label') && !(el.textContent ?? '').trim();
        })
        .map((el) => el.id || el.tagName),
    );
    expect(unlabelled).toEqual([]);
    const reached = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate(() => document.activeElement?.id ?? ''));
    }
    for (const id of ['data-offset', 'filter-name', 'filter-mode', 'kernel-0', 'train-button']) {
      expect(reached.has(id), id).toBe(true);
    }
    await page.close();
  });
});
