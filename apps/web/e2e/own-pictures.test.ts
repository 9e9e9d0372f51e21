// Section 9 in headless chromium: pictures recorded from chromium's fake camera and uploaded as a
// folder, the CNN trained on them, live per-class bars, the zip of class folders read back by
// the folder reader `cnnlab train --images` uses; and the page without a camera.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resizeImage } from '@cnnlab/datasets';
import { imageDatasetFromDirectory } from '@cnnlab/datasets/node';
import { decodePng, encodePng } from '@cnnlab/viz/node';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, outDir, servedApp } from './harness';

// A fake camera (its moving test pattern) that needs no permission prompt.
const app = servedApp(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
let tmp = '';

/** A `h`×`w` RGB picture of one colour with seeded noise. */
function noisy(h: number, w: number, rgb: [number, number, number], seed: number): Uint8Array {
  const data = new Uint8Array(h * w * 3);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = Math.max(0, Math.min(255, rgb[i % 3] + ((s >>> 24) % 61) - 30));
  }
  return data;
}

function toRgba(rgb: Uint8Array): Uint8Array {
  const rgba = new Uint8Array((rgb.length / 3) * 4);
  for (let i = 0; i < rgb.length / 3; i++) {
    rgba.set(rgb.subarray(i * 3, i * 3 + 3), i * 4);
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

/** Writes `count` noisy pictures of `rgb` (h×w, not square) as `dir/name/p00.png`…; returns them. */
function pictureFolder(
  dir: string,
  name: string,
  rgb: [number, number, number],
  count: number,
  [h, w] = [30, 40],
): Uint8Array[] {
  mkdirSync(join(dir, name), { recursive: true });
  const made: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const picture = noisy(h, w, rgb, i * 31 + rgb[0]);
    made.push(picture);
    writeFileSync(
      join(dir, name, `p${String(i).padStart(2, '0')}.png`),
      encodePng({ data: toRgba(picture), shape: [h, w, 4] }),
    );
  }
  return made;
}

async function openPage(page: Page, errors: string[]): Promise<void> {
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(app.baseUrl);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
}

const count = async (page: Page, i: number) =>
  Number(await page.getAttribute(`#own-count-${i}`, 'data-count'));

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cnnlab-web-own-'));
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('your own pictures', () => {
  it('records from the camera, adds a folder, trains, predicts live and downloads a zip that the folder reader reads', async () => {
    const upload = join(tmp, 'upload');
    const reds = pictureFolder(upload, 'red', [220, 30, 30], 30);
    writeFileSync(join(upload, 'notes.txt'), 'not a picture');
    const page = await app.browser.newPage({ acceptDownloads: true });
    const errors: string[] = [];
    await openPage(page, errors);
    expect(await page.isDisabled('#own-record-0')).toBe(true);
    await page.click('#own-camera');
    await page.waitForSelector('#own-section[data-camera="on"]', { timeout: 20_000 });
    expect(await page.isDisabled('#own-record-0')).toBe(false);

    // Two classes: what the camera shows, and red pictures from a folder.
    await page.click('[aria-label="Remove class 3"]');
    await page.fill('#own-name-0', 'camera');
    await page.fill('#own-name-1', 'red');
    expect(await page.textContent('#own-train-hint')).toBe(
      '"camera" has 0 pictures; record or upload at least 5',
    );

    // Held down for 1.5 s at 10 pictures a second; nothing more once it is let go.
    await page.hover('#own-record-0');
    await page.mouse.down();
    await page.waitForTimeout(1500);
    await page.mouse.up();
    const recorded = await count(page, 0);
    expect(recorded).toBeGreaterThanOrEqual(8);
    expect(recorded).toBeLessThanOrEqual(20);
    await page.waitForTimeout(500);
    expect(await count(page, 0)).toBe(recorded);

    await page.setInputFiles('#own-folder', upload);
    await page.waitForFunction(() =>
      document.getElementById('own-files-status')?.textContent?.startsWith('Added'),
    );
    expect(await page.textContent('#own-files-status')).toBe('Added 30 red.');
    expect(await count(page, 1)).toBe(30);

    await page.selectOption('#own-size', '32');
    await page.fill('#own-epochs', '8');
    await page.click('#own-train');
    await page.waitForSelector('#own-section[data-accuracy]', { timeout: 80_000 });
    expect(Number(await page.getAttribute('#own-section', 'data-accuracy'))).toBeGreaterThanOrEqual(
      0.9,
    );
    expect(await page.textContent('#own-train-status')).toMatch(
      /^Trained in [\d.]+ s\. On the \d+ held-out pictures: \d+% right \(camera \d+ of \d+, red \d+ of 6\)/,
    );

    // The camera still shows its test pattern: the live bars say "camera", and add up to 1.
    await page.waitForFunction(
      () =>
        Number(
          document.querySelector('[data-testid="own-bar-0"]')?.getAttribute('data-probability'),
        ) > 0.8,
      undefined,
      { timeout: 20_000 },
    );
    const bars = await page.$$eval('.own-bar', (rows) =>
      rows.map((row) => ({
        name: row.querySelector('label')?.textContent,
        p: Number((row as HTMLElement).dataset.probability),
      })),
    );
    expect(bars.map((b) => b.name)).toEqual(['camera', 'red']);
    expect(bars[0].p + bars[1].p).toBeCloseTo(1, 4);
    await page.locator('#own-section').screenshot({ path: join(outDir, 'own-pictures.png') });

    // The zip: one folder a class, every picture, as PNGs the folder reader takes.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#own-download'),
    ]);
    expect(download.suggestedFilename()).toBe('cnnlab-pictures.zip');
    const zipPath = join(tmp, 'pictures.zip');
    await download.saveAs(zipPath);
    const entries = unzipSync(readFileSync(zipPath));
    const names = Object.keys(entries)
      .filter((n) => !n.endsWith('/'))
      .map((n) => n.replace(/^cnnlab-pictures\//, ''));
    expect(Object.keys(entries).every((n) => n.startsWith('cnnlab-pictures/'))).toBe(true);
    const inCamera = names.filter((n) => n.startsWith('camera/'));
    expect(inCamera.length).toBe(recorded);
    expect(names.filter((n) => n.startsWith('red/'))).toHaveLength(30);
    const unzipped = join(tmp, 'unzipped');
    for (const name of names) {
      mkdirSync(join(unzipped, name.split('/')[0]), { recursive: true });
      writeFileSync(join(unzipped, name), entries[`cnnlab-pictures/${name}`]);
    }
    const set = await imageDatasetFromDirectory(unzipped, { imageSize: [96, 96], shuffle: false });
    expect(set.classNames).toEqual(['camera', 'red']);
    expect(set.labels.filter((l) => l === 0)).toHaveLength(recorded);
    // The uploaded pictures were cropped to their middle square and resized, losslessly stored.
    const first = decodePng(entries['cnnlab-pictures/red/red-001.png']);
    const expected = resizeImage({ data: reds[0], shape: [30, 40, 3] }, [96, 96], {
      cropToAspectRatio: true,
    }).data;
    const rgb = Uint8Array.from(
      { length: 96 * 96 * 3 },
      (_, i) => first.data[Math.floor(i / 3) * 4 + (i % 3)],
    );
    expect(Buffer.from(rgb).equals(Buffer.from(expected))).toBe(true);
    // The camera's pictures are frames of a moving pattern, not one frame copied.
    expect(
      Buffer.from(entries['cnnlab-pictures/camera/camera-001.png']).equals(
        Buffer.from(entries[`cnnlab-pictures/${inCamera[inCamera.length - 1]}`]),
      ),
    ).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('without a camera says so, and learns from an uploaded folder of two classes', async () => {
    const upload = join(tmp, 'classes');
    pictureFolder(upload, 'blue', [30, 40, 210], 15, [48, 36]);
    pictureFolder(upload, 'yellow', [230, 210, 40], 15, [36, 48]);
    const single = join(tmp, 'green');
    mkdirSync(single);
    const greens = noisy(40, 40, [30, 200, 60], 5);
    writeFileSync(join(single, 'g.png'), encodePng({ data: toRgba(greens), shape: [40, 40, 4] }));

    // Chromium without the fake-device flags has no camera at all.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(app.baseUrl);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      expect(await page.getAttribute('#own-section', 'data-camera')).toBe('none');
      expect(await page.textContent('#own-camera-status')).toMatch(
        /^No camera here \(.+\)\. Upload a folder of pictures instead/,
      );
      expect(await page.isDisabled('#own-camera')).toBe(true);
      expect(await page.isDisabled('#own-record-0')).toBe(true);

      await page.click('[aria-label="Remove class 3"]');
      await page.click('[aria-label="Remove class 2"]');
      await page.click('[aria-label="Remove class 1"]');
      await page.setInputFiles('#own-folder', upload);
      await page.waitForFunction(() =>
        document.getElementById('own-files-status')?.textContent?.startsWith('Added'),
      );
      expect(await page.textContent('#own-files-status')).toBe('Added 15 blue, 15 yellow.');
      expect(
        await page.$$eval('.own-name', (inputs) =>
          inputs.map((i) => (i as HTMLInputElement).value),
        ),
      ).toEqual(['blue', 'yellow']);

      // A folder of pictures only is one class, named after it.
      await page.setInputFiles('#own-folder', single);
      await page.waitForFunction(() =>
        document.getElementById('own-files-status')?.textContent?.startsWith('Added'),
      );
      expect(await page.textContent('#own-files-status')).toBe('Added 1 green.');
      expect(await page.textContent('#own-train-hint')).toBe(
        '"green" has 1 picture; record or upload at least 5',
      );
      await page.click('[aria-label="Remove class 3"]');
      await page.fill('#own-name-1', 'blue');
      expect(await page.textContent('#own-train-hint')).toBe('two classes are called "blue"');
      expect(await page.isDisabled('#own-train')).toBe(true);
      await page.fill('#own-name-1', 'yellow');

      await page.selectOption('#own-size', '32');
      await page.fill('#own-epochs', '6');
      await page.click('#own-train');
      await page.waitForSelector('#own-section[data-accuracy]', { timeout: 80_000 });
      expect(Number(await page.getAttribute('#own-section', 'data-accuracy'))).toBe(1);
      expect(await page.textContent('#own-train-status')).toMatch(
        /blue 3 of 3, yellow 3 of 3\)\. Try a picture below\.$/,
      );

      // A new picture, not among the uploaded ones, classified.
      const fresh = join(tmp, 'fresh-yellow.png');
      writeFileSync(
        fresh,
        encodePng({ data: toRgba(noisy(50, 70, [235, 205, 50], 999)), shape: [50, 70, 4] }),
      );
      await page.setInputFiles('#own-try', fresh);
      await page.waitForFunction(() =>
        /%$/.test(document.getElementById('own-prediction')?.textContent ?? ''),
      );
      expect(await page.textContent('#own-prediction')).toMatch(/^yellow, \d+%$/);
      const bad = join(tmp, 'bad.png');
      writeFileSync(bad, 'not a png at all');
      await page.setInputFiles('#own-try', bad);
      await page.waitForFunction(() =>
        (document.getElementById('own-prediction')?.textContent ?? '').startsWith('Could not'),
      );
      expect(await page.textContent('#own-prediction')).toMatch(/^Could not read bad\.png: /);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
