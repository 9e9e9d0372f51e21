// Lessons as links, in headless chromium: the URL sets the controls, shows only the sections it
// names and hides the locked controls; changing a setting rewrites the URL.
import { describe, expect, it } from 'vitest';
import { outDir, servedApp } from './harness';

const app = servedApp();

describe('a lesson in the URL', () => {
  it('opens with its settings, its sections and its locks, and follows changes', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const query = '?model=cnn&epochs=3&filter=sharpen&stride=2&sections=filters,train&lock=model';
    await page.goto(`${app.baseUrl}${query}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await page.inputValue('#model-kind')).toBe('cnn');
    expect(await page.inputValue('#train-epochs')).toBe('3');
    expect(await page.inputValue('#filter-name')).toBe('sharpen');
    expect(await page.inputValue('#filter-stride')).toBe('2');
    // Only the two sections, and the model's control (with its label) hidden.
    const shown = await page.$$eval('main section:not([hidden]) h2', (hs) => hs.map((h) => h.id));
    expect(shown).toEqual(['filter-title', 'train-title']);
    expect(await page.isVisible('#model-kind')).toBe(false);
    expect(await page.isVisible('label[for="model-kind"]')).toBe(false);
    expect(await page.isVisible('#train-epochs')).toBe(true);
    // The kernel editor holds the URL's filter: sharpen, the image plus its Laplacian detail.
    const cells = await page.$$eval('#kernel-cells input', (inputs) =>
      inputs.map((input) => Number((input as HTMLInputElement).value)),
    );
    expect(cells).toEqual([0, -1, 0, -1, 5, -1, 0, -1, 0]);
    await page.screenshot({ path: `${outDir}lesson.png` });

    await page.fill('#train-epochs', '5');
    await page.selectOption('#filter-name', 'edge-detector');
    const url = new URL(page.url());
    expect(url.searchParams.get('epochs')).toBe('5');
    // Back at the page's own default, a setting leaves the link.
    expect(url.searchParams.has('filter')).toBe(false);
    expect(url.searchParams.get('sections')).toBe('filters,train');
    expect(url.searchParams.get('lock')).toBe('model');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('ignores values a control does not take, and says so', async () => {
    const page = await app.browser.newPage();
    await page.goto(`${app.baseUrl}?epochs=999&filter=nope&sections=filters,nowhere`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await page.inputValue('#train-epochs')).toBe('1');
    expect(await page.textContent('#lesson-link-status')).toBe(
      "This link's filter=nope, epochs=999, sections=nowhere could not be used.",
    );
    await page.close();
  });
});
