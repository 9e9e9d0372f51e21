// Section 2's animation in headless chromium: the kernel sliding over the 5×5 matrix (padding
// ring, window, products, running sum, stride) adds up to the output the section computes, and
// the slide over the digit reveals exactly the filtered digit, place by place.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { outDir, servedApp } from './harness';

const app = servedApp();

async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await app.browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(app.baseUrl);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { page, errors };
}

const numbers = (page: Page, selector: string) =>
  page.$$eval(selector, (cells) => cells.map((c) => Number(c.textContent)));

/** Rows of a table's cells: text, and whether padding or under the window. */
async function cellsOf(page: Page, id: string) {
  return page.$$eval(`#${id} tr`, (rows) =>
    rows.map((row) =>
      Array.from(row.querySelectorAll('td'), (td) => ({
        text: td.textContent ?? '',
        pad: td.classList.contains('pad'),
        inWindow: td.classList.contains('in-window'),
      })),
    ),
  );
}

async function status(page: Page) {
  const done = await page.getAttribute('#slide-status', 'data-done');
  const total = await page.getAttribute('#slide-status', 'data-total');
  return { done: Number(done), total: Number(total) };
}

/** The step's numbers as shown: products, kernel, window values, the sum and its cell. */
async function shownStep(page: Page) {
  const products = await page.$$eval('#slide-products td', (cells) =>
    cells.map((c) => Number((c as HTMLElement).dataset.product)),
  );
  const kernel = await numbers(page, '#slide-kernel td');
  const input = (await cellsOf(page, 'slide-input')).flat();
  const window = input.filter((c) => c.inWindow).map((c) => Number(c.text));
  const sum = Number(await page.getAttribute('#slide-sum', 'data-sum'));
  const row = Number(await page.getAttribute('#slide-sum', 'data-row'));
  const col = Number(await page.getAttribute('#slide-sum', 'data-col'));
  return { products, kernel, window, sum, row, col };
}

/** The section's output table (computed by convolve2d / conv2d), as rows of numbers. */
async function convOutput(page: Page): Promise<number[][]> {
  return page.$$eval('#conv-output tr', (rows) =>
    rows.map((row) => Array.from(row.querySelectorAll('td'), (td) => Number(td.textContent))),
  );
}

async function step(page: Page, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await page.click('#slide-step');
}

describe('the kernel sliding over the 5×5 matrix', () => {
  it('shows each window, its products and the sum the output table holds', async () => {
    const { page, errors } = await openPage();
    // A kernel of your own that a half turn changes: sliding it unturned would give other sums.
    const typedKernel = [1, 2, 0, -1, 0, 3, 0, -2, 1];
    for (const [i, v] of typedKernel.entries()) {
      await page.fill(`#kernel-${i}`, String(v));
    }
    expect(await status(page)).toEqual({ done: 0, total: 9 });
    const start = await cellsOf(page, 'slide-input');
    expect(start).toHaveLength(5);
    expect(start.flat().some((c) => c.pad || c.inWindow)).toBe(false);

    // Step 5 of 9 ('valid'): the centre of the 3×3 output, the window on rows and columns 2–4.
    await step(page, 5);
    expect(await status(page)).toEqual({ done: 5, total: 9 });
    const input = await cellsOf(page, 'slide-input');
    const marked = input.flatMap((row, r) =>
      row.flatMap((cell, c) => (cell.inWindow ? [[r, c]] : [])),
    );
    expect(marked).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
      [2, 1],
      [2, 2],
      [2, 3],
      [3, 1],
      [3, 2],
      [3, 3],
    ]);
    const shown = await shownStep(page);
    // The kernel as it slides is the typed one turned 180°.
    expect(shown.kernel).toEqual([...typedKernel].reverse());
    shown.products.forEach((p, i) => {
      expect(p).toBeCloseTo((shown.window[i] ?? 0) * (shown.kernel[i] ?? 0), 6);
    });
    expect(shown.sum).toBeCloseTo(
      shown.products.reduce((a, b) => a + b, 0),
      6,
    );
    expect([shown.row, shown.col]).toEqual([1, 1]);
    const output = await convOutput(page);
    expect(shown.sum).toBeCloseTo(output[1]?.[1] ?? Number.NaN, 2);
    // The running sum ends at the value; the output table so far holds 5 values.
    expect(await page.textContent('#slide-sum')).toMatch(/running sum: .* → /);
    const made = await page.$$eval(
      '#slide-output td',
      (cells) => cells.filter((c) => (c.textContent ?? '') !== '').length,
    );
    expect(made).toBe(5);
    await page
      .locator('section:has(#filter-title)')
      .screenshot({ path: `${outDir}filters-slide-valid.png` });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("puts a ring of zeros round the input for 'same' and 'full', and jumps by the stride", async () => {
    const { page, errors } = await openPage();
    await page.selectOption('#filter-name', 'vertical-edge');
    await page.selectOption('#filter-mode', 'same');
    expect(await status(page)).toEqual({ done: 0, total: 25 });
    const same = await cellsOf(page, 'slide-input');
    expect(same).toHaveLength(7);
    const pads = same.flat().filter((c) => c.pad);
    expect(pads).toHaveLength(7 * 7 - 25);
    expect(pads.every((c) => c.text === '0')).toBe(true);
    await step(page, 1);
    const first = await shownStep(page);
    // The first window covers the corner: five of its nine cells are padding.
    const corner = (await cellsOf(page, 'slide-input')).flat().filter((c) => c.inWindow);
    expect(corner.filter((c) => c.pad)).toHaveLength(5);
    expect(first.sum).toBeCloseTo((await convOutput(page))[0]?.[0] ?? Number.NaN, 2);

    await page.selectOption('#filter-mode', 'full');
    expect(await status(page)).toEqual({ done: 0, total: 49 });
    expect(await cellsOf(page, 'slide-input')).toHaveLength(9);

    // Stride 2 with 'same' padding: a 3×3 output, the window two cells on at each step.
    await page.selectOption('#filter-mode', 'same');
    await page.fill('#filter-stride', '2');
    await page.dispatchEvent('#filter-stride', 'input');
    expect(await status(page)).toEqual({ done: 0, total: 9 });
    await step(page, 2);
    const columns = (await cellsOf(page, 'slide-input'))
      .flatMap((row) => row.flatMap((cell, c) => (cell.inWindow ? [c] : [])))
      .filter((c, i, all) => all.indexOf(c) === i);
    expect(columns).toEqual([2, 3, 4]);
    const strided = await shownStep(page);
    expect([strided.row, strided.col]).toEqual([0, 1]);
    expect(strided.sum).toBeCloseTo((await convOutput(page))[0]?.[1] ?? Number.NaN, 2);
    await page
      .locator('section:has(#filter-title)')
      .screenshot({ path: `${outDir}filters-slide-stride.png` });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('plays to the end, filling in the output table, pauses and resets', async () => {
    const { page, errors } = await openPage();
    await page.selectOption('#filter-mode', 'same');
    await page.fill('#slide-speed', '10');
    await page.click('#slide-play');
    expect(await page.textContent('#slide-play')).toBe('Pause');
    await page.waitForFunction(
      () => document.querySelector('#slide-status')?.getAttribute('data-done') === '25',
      undefined,
      { timeout: 20_000 },
    );
    expect(await page.textContent('#slide-play')).toBe('Play');
    const slid = await page.$$eval('#slide-output tr', (rows) =>
      rows.map((row) => Array.from(row.querySelectorAll('td'), (td) => Number(td.textContent))),
    );
    expect(slid).toEqual(await convOutput(page));

    // Play again from the start, pause: it stays where it stopped; Reset empties it.
    await page.click('#slide-play');
    await page.waitForFunction(
      () => Number(document.querySelector('#slide-status')?.getAttribute('data-done')) >= 3,
    );
    await page.click('#slide-play');
    const paused = (await status(page)).done;
    expect(paused).toBeGreaterThanOrEqual(3);
    expect(paused).toBeLessThan(25);
    await page.waitForTimeout(700);
    expect((await status(page)).done).toBe(paused);
    await page.click('#slide-reset');
    expect(await status(page)).toEqual({ done: 0, total: 25 });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the kernel sliding over the digit', () => {
  it('reveals the filtered digit place by place, the window where it reads', async () => {
    const { page, errors } = await openPage();
    await page.fill('#filter-index', '7');
    await page.dispatchEvent('#filter-index', 'input');
    const pixels = () =>
      page.$eval('#filter-digit-out', (canvas) => {
        const c = canvas as HTMLCanvasElement;
        const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
        return { width: c.width, height: c.height, data: Array.from(data ?? []) };
      });
    const whole = await pixels();
    expect([whole.width, whole.height]).toEqual([26, 26]);

    await page.click('#digit-slide-play');
    await page.waitForFunction(
      () => Number(document.querySelector('#digit-slide-status')?.getAttribute('data-done')) > 150,
    );
    await page.click('#digit-slide-play');
    const done = Number(await page.getAttribute('#digit-slide-status', 'data-done'));
    expect(done).toBeLessThan(26 * 26);
    const part = await pixels();
    // The values made so far are the whole result's; the rest is not drawn yet.
    expect(part.data.slice(0, done * 4)).toEqual(whole.data.slice(0, done * 4));
    expect(part.data.slice(done * 4).every((v, i) => i % 4 !== 3 || v === 0)).toBe(true);
    // The window: 3 of 28 pixels a side, over the place of the last value made.
    const box = await page.$eval('#digit-window', (el) => {
      const e = el as HTMLElement;
      return { hidden: e.hidden, top: e.style.top, left: e.style.left, width: e.style.width };
    });
    expect(box.hidden).toBe(false);
    const last = done - 1;
    expect(Number.parseFloat(box.top)).toBeCloseTo((Math.floor(last / 26) / 28) * 100, 3);
    expect(Number.parseFloat(box.left)).toBeCloseTo(((last % 26) / 28) * 100, 3);
    expect(Number.parseFloat(box.width)).toBeCloseTo((3 / 28) * 100, 3);
    expect(await page.textContent('#digit-slide-play')).toBe('Go on');
    await page
      .locator('section:has(#filter-title)')
      .screenshot({ path: `${outDir}filters-slide-digit.png` });

    await page.click('#digit-slide-play');
    await page.waitForFunction(
      () => document.querySelector('#digit-slide-status')?.getAttribute('data-done') === '676',
      undefined,
      { timeout: 20_000 },
    );
    expect((await pixels()).data).toEqual(whole.data);
    expect(await page.$eval('#digit-window', (el) => (el as HTMLElement).hidden)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
