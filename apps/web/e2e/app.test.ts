// End-to-end tests: the built app (dist/, from `pnpm build`) served by `vite preview`, driven in
// Debian's headless chromium through playwright-core. No browser is ever downloaded.
import { existsSync, mkdirSync } from 'node:fs';
import { colormap } from '@cnnlab/viz';
import type { Browser, Page } from 'playwright-core';
import { createServer, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFigures } from './figure-reader';
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

/** Pixel i of the tiny CSV's row k. */
const signPixel = (k: number, i: number) => (i * 7 + k * 31) % 256;

/** A tiny CSV in Kaggle's layout: labels A (0), B (1), C (2, dropped), V (21). */
function tinySignCsv() {
  const rows = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i + 1}`)].join(',');
  const labels = [0, 1, 2, 21, 0, 21];
  const body = labels.map((label, k) =>
    [label, ...Array.from({ length: 784 }, (_, i) => signPixel(k, i))].join(','),
  );
  return {
    name: 'sign_mnist_tiny.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from([rows, ...body].join('\n')),
  };
}

/** scipy's convolve2d of a 28×28 image with a symmetric 3×3 kernel, zero outside ('same'/'full'). */
function convolve(image: number[], kernel: number[], mode: 'same' | 'full'): number[] {
  const offset = mode === 'full' ? 2 : 1;
  const side = mode === 'full' ? 30 : 28;
  const at = (y: number, x: number) =>
    y >= 0 && y < 28 && x >= 0 && x < 28 ? image[y * 28 + x] : 0;
  const out: number[] = [];
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      let sum = 0;
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) sum += kernel[i * 3 + j] * at(y + i - offset, x + j - offset);
      out.push(sum);
    }
  return out;
}

/** A value 0–255 as 'greys' draws it (white → black, the workshop's cmap=binary): its red. */
const GREYS = colormap('greys');
const ink = (value: number) => GREYS[Math.max(0, Math.min(255, Math.round(value))) * 4];

const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

/** The texts of a Vega SVG's marks of one role, in document order. */
function vegaTexts(page: Page, selector: string, role: string) {
  return page.$$eval(`${selector} svg .role-${role} text`, (texts) =>
    texts.map((t) => t.textContent ?? ''),
  );
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

  it("draws the workshop's filter, kernel, translation and augmentation figures", async () => {
    const { page, errors } = await openPage();

    // The 2×2 filter figure: four titled panels, the digit upscaled to 140 px (the 'full'
    // smoothing is 30×30, so 150), each with a colour bar.
    const [filters] = await readFigures(page, '#filter-figure', 5);
    expect(filters.title).toMatch(/^Test digit 0 \(a \d\) through three filters$/);
    const titles = filters.panels.map((p) => p.title);
    expect(titles).toEqual(['Original', 'Smoothed', 'Horizontal Edges', 'All Edges']);
    expect(filters.panels.map((p) => [p.width, p.height])).toEqual([
      [140, 140],
      [150, 150],
      [140, 140],
      [140, 140],
    ]);
    // Two panels in a row, two rows (the bigger Smoothed sits centred in its cell).
    const [a, b, c, d] = filters.panels;
    expect(Math.abs(a.y + a.height / 2 - (b.y + b.height / 2))).toBeLessThanOrEqual(1);
    // (Columns line up within a few pixels: each colour bar is as wide as its tick labels.)
    expect([c.y === d.y, a.y + a.height < c.y, Math.abs(a.x - c.x) < 8, b.x > c.x + 140]).toEqual([
      true,
      true,
      true,
      true,
    ]);
    // What the filters show is the digit really filtered: the Original's pixels (grey from the
    // bar's low to high) through the workshop's kernels give the other three panels.
    const span = (p: (typeof filters.panels)[number]) => [
      p.low ?? Number.NaN,
      p.high ?? Number.NaN,
    ];
    const [lo, hi] = span(a);
    expect(lo).toBe(0);
    expect(hi).toBeGreaterThan(100);
    const digit = a.grey.map((g) => lo + (g / 255) * (hi - lo));
    const kernels: [number, number[], 'same' | 'full'][] = [
      [1, [1, 1, 1, 1, 1, 1, 1, 1, 1], 'full'],
      [2, [-1, -1, -1, 2, 2, 2, -1, -1, -1], 'same'],
      [3, [-1, -1, -1, -1, 8, -1, -1, -1, -1], 'same'],
    ];
    for (const [index, kernel, mode] of kernels) {
      const panel = filters.panels[index];
      const expected = convolve(digit, kernel, mode);
      const [low, high] = span(panel);
      const slack = 1 + (16 * (hi - lo)) / 255;
      expect(Math.abs(low - Math.min(...expected)), `${panel.title} low`).toBeLessThan(slack);
      expect(Math.abs(high - Math.max(...expected)), `${panel.title} high`).toBeLessThan(slack);
      const grey = expected.map((v) => ((v - low) / (high - low)) * 255);
      expect(maxDiff(grey, panel.grey), panel.title ?? '').toBeLessThanOrEqual(3);
    }
    expect(d.low).toBeLessThan(0); // edges have negative values: the bar says so

    // The classic kernels, each weight written in its cell, on one symmetric scale.
    const [kernelFig] = await readFigures(page, '#kernel-figure');
    expect(kernelFig.title).toBe('Hand-crafted 3×3 kernels');
    expect(kernelFig.panels.map((p) => p.title)).toEqual([
      'Smoothing',
      'Horizontal',
      'Vertical',
      'Edge detector',
    ]);
    expect(kernelFig.panels[3].cellText).toEqual([
      '−1',
      '−1',
      '−1',
      '−1',
      '8',
      '−1',
      '−1',
      '−1',
      '−1',
    ]);
    expect(kernelFig.panels[1].cellText).toEqual([
      '−1',
      '−1',
      '−1',
      '2',
      '2',
      '2',
      '−1',
      '−1',
      '−1',
    ]);
    expect([kernelFig.low, kernelFig.high]).toEqual([-8, 8]);
    expect(kernelFig.panels.every((p) => p.width >= 108)).toBe(true);

    // Both figures side by side on a laptop-sized screen, neither shrunk.
    const boxes = await page.evaluate(() =>
      ['#filter-figure svg', '#kernel-figure svg'].map((selector) => {
        const svg = document.querySelector(selector);
        const box = svg?.getBoundingClientRect();
        return { top: box?.top, width: box?.width, own: Number(svg?.getAttribute('width')) };
      }),
    );
    expect(boxes[0].top).toBe(boxes[1].top);
    expect(boxes.map((b) => b.width)).toEqual(boxes.map((b) => b.own));

    // The interactive part's digit is drawn at least 140 px wide.
    const digitBox = await page.locator('#filter-digit').boundingBox();
    expect(digitBox?.width).toBeGreaterThanOrEqual(140);

    // Original | Translated, as the sliders say: 4 right and 4 up at first (the workshop's shift).
    const readPair = async () => {
      const [pair] = await readFigures(page, '#translated', 5);
      return pair;
    };
    let pair = await readPair();
    expect(pair.panels.map((p) => p.title)).toEqual(['Original', 'Translated']);
    expect(pair.panels.map((p) => p.width)).toEqual([140, 140]);
    expect(pair.title).toBe('Moved 4 px right and 4 px up');
    // Shifting what is drawn: the uncovered border is 0, white paper in 'greys'.
    const shifted = (image: number[], dx: number, dy: number) =>
      image.map((_, i) => {
        const [y, x] = [Math.floor(i / 28) - dy, (i % 28) - dx];
        return y >= 0 && y < 28 && x >= 0 && x < 28 ? image[y * 28 + x] : ink(0);
      });
    // Digits are dark ink on white ('greys', as the workshop's cmap=binary).
    const original = pair.panels[0].grey;
    expect(original.filter((v) => v < 60).length).toBeGreaterThan(20);
    expect(original[0]).toBe(255); // the background is white paper
    expect(maxDiff(pair.panels[1].grey, shifted(original, 4, -4))).toBe(0);
    // Live with the sliders.
    await page.fill('#shift-x', '-6');
    await page.fill('#shift-y', '3');
    pair = await readPair();
    expect(pair.title).toBe('Moved 6 px left and 3 px down');
    expect(maxDiff(pair.panels[0].grey, original)).toBe(0);
    expect(maxDiff(pair.panels[1].grey, shifted(original, -6, 3))).toBe(0);

    // Nine augmented samples in a 3×3 square, 140 px each, all different, none empty.
    const readBatch = async () => (await readFigures(page, '#augmented', 5))[0];
    const batch = await readBatch();
    expect(batch.title).toMatch(/^Augmented samples/);
    expect(batch.panels).toHaveLength(9);
    expect(new Set(batch.panels.map((p) => p.x)).size).toBe(3);
    expect(new Set(batch.panels.map((p) => p.y)).size).toBe(3);
    expect(batch.panels.every((p) => p.width === 140 && p.height === 140)).toBe(true);
    expect(new Set(batch.panels.map((p) => p.href)).size).toBe(9);
    expect(batch.panels.every((p) => p.grey.filter((v) => v < 128).length > 20)).toBe(true);
    await page.click('#aug-again');
    const again = await readBatch();
    expect(again.panels.filter((p, i) => p.href === batch.panels[i].href)).toHaveLength(0);

    await page
      .locator('section:has(#filter-figure)')
      .screenshot({ path: `${outDir}figures-filters.png` });
    await page
      .locator('section:has(#augmented)')
      .screenshot({ path: `${outDir}figures-augment.png` });
    await page.screenshot({ path: `${outDir}figures.png`, fullPage: true });
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

    // After training: the workshop's curves (one epoch: a dot per batch here, 8 batches < ten
    // tenths) and the confusion matrix of the 1,000 test digits.
    await page.waitForSelector('#confusion svg');
    expect(await vegaTexts(page, '#train-curves', 'title-text')).toEqual(['Accuracy', 'Loss']);
    expect(await vegaTexts(page, '#train-curves', 'axis-title')).toEqual([
      'Epoch (training: each batch)',
      'Accuracy',
      'Epoch (training: each batch)',
      'Loss',
    ]);
    expect(await page.locator('#train-curves svg .mark-symbol.role-mark path').count()).toBe(16);
    const axes = await vegaTexts(page, '#confusion', 'axis-title');
    expect(axes.sort()).toEqual(['Predicted digit', 'True digit']);
    expect(await vegaTexts(page, '#confusion', 'title-text')).toEqual([
      'The dense network on 1,000 test digits',
    ]);
    // The counts, placed by their position: rows true 0–9 top down, columns predicted left to right.
    const cells = await page.$$eval('#confusion svg .mark-text.role-mark text', (texts) =>
      texts.map((t) => {
        const m = /translate\(([\d.]+),([\d.]+)\)/.exec(t.getAttribute('transform') ?? '');
        return { x: Number(m?.[1]), y: Number(m?.[2]), count: Number(t.textContent) };
      }),
    );
    expect(cells).toHaveLength(100);
    const xs = [...new Set(cells.map((c) => c.x))].sort((p, q) => p - q);
    const ys = [...new Set(cells.map((c) => c.y))].sort((p, q) => p - q);
    expect([xs.length, ys.length]).toEqual([10, 10]);
    expect(cells.reduce((sum, c) => sum + c.count, 0)).toBe(1000);
    const diagonal = cells
      .filter((c) => xs.indexOf(c.x) === ys.indexOf(c.y))
      .reduce((sum, c) => sum + c.count, 0);
    expect(diagonal / 1000).toBeCloseTo(accuracy, 4);
    await page.locator('section:has(#train-chart)').screenshot({ path: `${outDir}training.png` });

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
    // One figure per conv layer, titled with its name and shape; every map upscaled to at least
    // 40 px (3×3 maps ×14), one panel per channel.
    const figures = await Promise.all(
      ['conv2d', 'conv2d_1', 'conv2d_2'].map(async (layer) => {
        const [fig] = await readFigures(page, `#act-grids [data-layer="${layer}"]`, 1000);
        return fig;
      }),
    );
    expect(figures.map((f) => f.title)).toEqual([
      'conv2d · 26×26×32',
      'conv2d_1 · 11×11×64',
      'conv2d_2 · 3×3×64',
    ]);
    expect(figures.map((f) => f.panels.length)).toEqual([32, 64, 64]);
    expect(figures.map((f) => f.panels[0].width)).toEqual([52, 44, 42]);
    expect(figures.map((f) => [f.low, f.high])).toEqual([
      [-2, 2],
      [-2, 2],
      [-2, 2],
    ]);
    // The maps differ from channel to channel (the figure is not one map repeated).
    expect(new Set(figures[0].panels.map((p) => p.href)).size).toBeGreaterThan(16);

    // The learned first-layer kernels beside the hand-crafted ones.
    const [classic, learned] = await readFigures(page, '#learned-figure', 14);
    expect(await page.locator('#learned').isVisible()).toBe(true);
    expect(classic.title).toBe('Hand-crafted 3×3 kernels');
    expect(learned.title).toBe("Learned by the CNN: conv2d's 32 kernels");
    expect(learned.panels).toHaveLength(32);
    // The two side by side in one SVG, at its own size (not shrunk to fit).
    const learnedBox = await page.evaluate(() => {
      const svg = document.querySelector('#learned-figure svg');
      return [svg?.getBoundingClientRect().width, Number(svg?.getAttribute('width'))];
    });
    expect(learnedBox[0]).toBe(learnedBox[1]);
    expect(learned.panels.every((p) => p.width === 42)).toBe(true);
    expect(learned.high).toBeGreaterThan(0);
    expect(learned.low).toBe(-(learned.high ?? 0));
    // Every kernel is 3×3 values on the scale: sampled every 14 px, nine greys, not all equal.
    expect(learned.panels.every((p) => p.grey.length === 9)).toBe(true);
    expect(learned.panels.filter((p) => new Set(p.grey).size > 1).length).toBeGreaterThan(28);
    expect((await page.textContent('#learned figcaption'))?.replace(/\s+/g, ' ')).toContain(
      'learns its own filters instead of us hand-crafting them',
    );
    await page.screenshot({ path: `${outDir}activations.png`, fullPage: true });
    await page
      .locator('section:has(#act-grids)')
      .screenshot({ path: `${outDir}activations-section.png` });
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
    // The grid titles each image with its letter, and shows that image's pixels.
    const [grid] = await readFigures(page, '#sign-grid', 3);
    expect(grid.title).toBe('The first 5 images, each with its letter');
    expect(grid.panels.map((p) => p.title)).toEqual(['A', 'B', 'V', 'A', 'V']);
    expect(grid.panels.every((p) => p.width === 84)).toBe(true);
    const rows = [0, 1, 3, 4, 5]; // row 2 is a C: not rock, paper or scissors
    grid.panels.forEach((panel, n) => {
      const expected = Array.from({ length: 784 }, (_, i) => signPixel(rows[n], i));
      expect(maxDiff(panel.grey, expected.map(ink)), `image ${n}`).toBe(0);
    });
    await page.screenshot({ path: `${outDir}sign.png`, fullPage: true });
    await page.locator('section:has(#sign-grid)').screenshot({ path: `${outDir}sign-section.png` });
    await page.click('#sign-train');
    await page.waitForFunction(() =>
      /^training accuracy \d/.test(document.querySelector('#sign-acc')?.textContent ?? ''),
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('builds VGG16, shows its summary and what freezing and a new head do', async () => {
    const { page, errors } = await openPage(undefined, '?backend=wasm');
    await page.click('#vgg-build');
    await page.waitForFunction(
      () => /^Built in/.test(document.querySelector('#vgg-status')?.textContent ?? ''),
      null,
      { timeout: 60_000 },
    );
    const rows = await page.$$eval('#vgg-params tbody tr', (trs) =>
      trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')),
    );
    // Keras's numbers: VGG16 without its top has 14,714,688 weights; frozen, none trains; the head
    // on 150×150 inputs is Flatten (4×4×512 = 8,192) → Dense 256 (2,097,408) → Dense 3 (771).
    expect(rows).toEqual([
      ['VGG16 base, as built', '14,714,688', '14,714,688', '0'],
      ['after freeze(base)', '14,714,688', '0', '14,714,688'],
      [
        'with a new head: Flatten, Dense 256, Dropout, Dense 3',
        '16,812,867',
        '2,098,179',
        '14,714,688',
      ],
    ]);
    const base = (await page.textContent('#vgg-summary')) ?? '';
    expect(base).toMatch(/^Model: "vgg16"/);
    expect(base).toMatch(/block1_conv1 \(Conv2D\) +\(None, 150, 150, 64\) +1792/);
    expect(base).toMatch(/block5_pool \(MaxPooling2D\) +\(None, 4, 4, 512\) +0/);
    expect(base).toContain('Total params: 14,714,688');
    const head = (await page.textContent('#vgg-head-summary')) ?? '';
    expect(head).toMatch(/flatten \(Flatten\) +\(None, 8192\) +0/);
    expect(head).toMatch(/dense \(Dense\) +\(None, 256\) +2097408/);
    expect(head).toMatch(/dense_1 \(Dense\) +\(None, 3\) +771/);
    expect(head).toContain('Trainable params: 2,098,179');
    expect(await page.textContent('#vgg-explain')).toContain(
      "Only the new head's 2,098,179 weights",
    );
    // Every weight freed again after the counts.
    expect(await page.getAttribute('#vgg-results', 'data-leaked-tensors')).toBe('0');
    await page.screenshot({ path: `${outDir}vgg16.png`, fullPage: true });
    await page
      .locator('section:has(#vgg-params)')
      .screenshot({ path: `${outDir}vgg16-section.png` });
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
