// Section 4's Keras files in headless chromium: a Keras file made in Node loads into the page (with
// the accuracy Node computes for it), the page's download loads back in Node with the same
// weights, and a bad file gets one line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '@cnnlab/datasets/node';
import { denseMnist, loadKerasModel, saveKerasModel } from '@cnnlab/models/node';
import { evaluate } from '@cnnlab/trainer';
import '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outDir, servedApp } from './harness';

const app = servedApp();
let tmp = '';

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cnnlab-web-keras-'));
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('Keras files on the page', () => {
  it('loads a .keras file, scores it as Node does, and downloads it back whole', async () => {
    const model = denseMnist({ seed: 7 });
    const file = join(tmp, 'dense.keras');
    await saveKerasModel(model, file);
    const { test } = await loadMnist();
    const first = {
      images: { data: test.images.data.subarray(0, 1000 * 784), shape: [1000, 28, 28] },
      labels: test.labels.subarray(0, 1000),
    };
    const inNode = await evaluate(model, first);

    const page = await app.browser.newPage({ acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(app.baseUrl);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await page.isDisabled('#keras-download')).toBe(true);
    await page.setInputFiles('#keras-file', file);
    await page.waitForSelector('#keras-status[data-accuracy]', { timeout: 60_000 });
    const accuracy = Number(await page.getAttribute('#keras-status', 'data-accuracy'));
    expect(Math.abs(accuracy - inNode.accuracy)).toBeLessThan(0.003);
    expect(await page.textContent('#keras-status')).toMatch(
      /^Loaded dense\.keras: a dense network of 4 layers/,
    );
    await page.locator('#keras-files').screenshot({ path: join(outDir, 'keras-files.png') });

    for (const extension of ['.keras', '.h5']) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click(extension === '.keras' ? '#keras-download' : '#keras-download-h5'),
      ]);
      expect(download.suggestedFilename()).toBe(`cnnlab-dense${extension}`);
      const saved = join(tmp, `back${extension}`);
      await download.saveAs(saved);
      const back = await loadKerasModel(saved);
      const want = model.getWeights().map((w) => Array.from(w.dataSync()));
      expect(back.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(want);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says in one line why a file does not load', async () => {
    const page = await app.browser.newPage();
    await page.goto(app.baseUrl);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const garbage = join(tmp, 'notes.h5');
    writeFileSync(garbage, 'not a model\n');
    await page.setInputFiles('#keras-file', garbage);
    await page.waitForFunction(() =>
      /Could not/.test(document.querySelector('#keras-status')?.textContent ?? ''),
    );
    expect(await page.textContent('#keras-status')).toBe(
      'Could not load notes.h5: notes.h5 is not an HDF5 file (no HDF5 signature): expected a Keras .h5 file',
    );
    await page.close();
  });
});
