// Section 7b in headless chromium: the transfer experiment on the embedded digits with the
// smallest settings, its two accuracies, its chart, and nothing left in memory.
import { describe, expect, it } from 'vitest';
import { outDir, servedApp } from './harness';

const app = servedApp();

describe('transfer learning on the page', () => {
  it('runs the comparison with the smallest settings and shows both accuracies', async () => {
    // wasm with cnnlab's training kernels: far faster than webgl's software GL under --disable-gpu.
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.baseUrl}?backend=wasm`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await page.fill('#transfer-examples', '5');
    await page.fill('#transfer-epochs', '1');
    await page.fill('#transfer-base-size', '64');
    await page.fill('#transfer-base-epochs', '1');
    const started = Date.now();
    await page.click('#transfer-run');
    await page.waitForFunction(
      () => /^Done in/.test(document.querySelector('#transfer-status')?.textContent ?? ''),
      null,
      { timeout: 60_000 },
    );
    const read = async (id: string) => Number(await page.textContent(id));
    const transferred = await read('#transfer-acc-transferred');
    const scratch = await read('#transfer-acc-scratch');
    const base = await read('#transfer-base-acc');
    console.log(
      `e2e: transfer, 5 examples a digit, 1 epoch, base of 64 digits: transferred ${transferred}, scratch ${scratch}, base ${base} in ${(Date.now() - started) / 1000} s`,
    );
    for (const accuracy of [transferred, scratch, base]) {
      expect(Number.isFinite(accuracy)).toBe(true);
      expect(accuracy).toBeGreaterThanOrEqual(0);
      expect(accuracy).toBeLessThanOrEqual(1);
    }
    expect(await page.getAttribute('#transfer-progress', 'value')).toBe('1');
    // The chart: one bar per network, each with its accuracy written on it, as the outputs say.
    await page.waitForSelector('#transfer-chart svg');
    expect(await page.locator('#transfer-results').isVisible()).toBe(true);
    expect(await page.locator('#transfer-chart svg .mark-rect.role-mark path').count()).toBe(2);
    const written = await page.$$eval('#transfer-chart svg .mark-text.role-mark text', (texts) =>
      texts.map((t) => t.textContent ?? ''),
    );
    // The outputs hold 4 decimals, the bars 1 of a percent: equal to within the rounding.
    const onBars = written.filter((t) => !t.startsWith('chance')).map((t) => Number.parseFloat(t));
    expect(onBars).toHaveLength(2);
    for (const accuracy of [transferred, scratch]) {
      expect(onBars.some((v) => Math.abs(v - accuracy * 100) <= 0.06)).toBe(true);
    }
    expect(await page.textContent('#transfer-status')).toMatch(
      /training 37,253 weights instead of 92,997/,
    );
    expect(await page.getAttribute('#transfer-results', 'data-leaked-tensors')).toBe('0');
    await page
      .locator('section:has(#transfer-chart)')
      .screenshot({ path: `${outDir}transfer-section.png` });
    expect(errors).toEqual([]);
    await page.close();
  });
});
