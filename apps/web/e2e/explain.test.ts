// The explain view in headless chromium: a CNN (made in Node, loaded as a Keras file), its maps
// clicked, and the numbers shown adding up to the value the network computes there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cnnMnist, saveKerasModel } from '@cnnlab/models/node';
import '@tensorflow/tfjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outDir, servedApp } from './harness';

const app = servedApp();
let tmp = '';

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cnnlab-web-explain-'));
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** The explained numbers, as the page shows them. */
async function explained(page: Page) {
  const total = page.locator('#act-explain-body .explain-total');
  const read = async (name: string) => Number(await total.getAttribute(`data-${name}`));
  return {
    sum: await read('sum'),
    bias: await read('bias'),
    value: await read('value'),
    model: await read('model'),
    text: (await page.textContent('#act-explain-body')) ?? '',
    products: await page.$$eval('#act-explain-body .products td', (cells) =>
      cells.map((c) => Number(c.textContent)),
    ),
  };
}

describe('one activation value, explained', () => {
  it('adds up to what the network computes, cell by cell, in the first and second convolution', async () => {
    const file = join(tmp, 'cnn.keras');
    await saveKerasModel(cnnMnist({ seed: 5 }), file);
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(app.baseUrl);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await page.setInputFiles('#keras-file', file);
    await page.waitForSelector('#keras-status[data-accuracy]', { timeout: 60_000 });
    await page.fill('#act-index', '3');
    await page.click('#act-show');
    await page.waitForSelector('#act-grids [data-layer] image');

    // Filter 3 of the first convolution, row 6 and column 8 of its 26×26 map.
    const first = page.locator('#act-grids [data-layer="conv2d"] image').nth(2);
    const box = await first.boundingBox();
    if (!box) throw new Error('no map');
    await first.click({
      position: { x: ((7 + 0.5) / 26) * box.width, y: ((5 + 0.5) / 26) * box.height },
    });
    await page.waitForSelector('#act-explain-body .explain-total');
    let shown = await explained(page);
    expect(shown.text).toMatch(/conv2d, filter 3 of 32, row 6 and column 8 of its 26×26 map/);
    // The products shown (3 decimals) add up to the sum; sum + bias through relu is the value,
    // which is the network's own.
    const productSum = shown.products.reduce((a, b) => a + b, 0);
    expect(Math.abs(productSum - shown.sum)).toBeLessThan(0.005 * 9);
    expect(shown.value).toBeCloseTo(Math.max(0, shown.sum + shown.bias), 6);
    expect(Math.abs(shown.value - shown.model)).toBeLessThan(1e-4);
    await page.locator('#act-explain').screenshot({ path: `${outDir}explain.png` });

    await page.click('#act-step');
    await page.waitForFunction(() =>
      /column 9/.test(document.querySelector('#act-explain-body')?.textContent ?? ''),
    );
    shown = await explained(page);
    expect(Math.abs(shown.value - shown.model)).toBeLessThan(1e-4);

    // The second convolution reads 32 channels: the sum of all of them still gives its value.
    const second = page.locator('#act-grids [data-layer="conv2d_1"] image').first();
    const box2 = await second.boundingBox();
    if (!box2) throw new Error('no map');
    await second.click({ position: { x: box2.width / 2 + 1, y: box2.height / 3 } });
    await page.waitForFunction(() =>
      /conv2d_1, filter 1 of 64/.test(
        document.querySelector('#act-explain-body')?.textContent ?? '',
      ),
    );
    shown = await explained(page);
    expect(shown.text).toMatch(/of its 13×13×32 input/);
    expect(Math.abs(shown.value - shown.model)).toBeLessThan(1e-4);
    expect(errors).toEqual([]);
    await page.close();
  });
});
