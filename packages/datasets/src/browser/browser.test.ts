import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { firstDifference, signCsv } from '../../test/fixtures.js';
import { embeddedMnistUrl, embeddedMnistUrls } from '../embedded-location.js';
import { MNIST_FILE_NAMES } from '../mnist-files.js';
import { loadMnist as loadMnistNode } from '../node/load-mnist.js';
import { loadFashionMnist, loadMnist } from './load-mnist.js';
import { loadSignMnist } from './load-sign-mnist.js';

/** A fetch that serves file: URLs from disk and answers 404 for the rest, as a static server would. */
const fileFetch: typeof fetch = async (input) => {
  const url = String(input);
  try {
    return new Response(readFileSync(fileURLToPath(url)));
  } catch {
    return new Response('missing', { status: 404, statusText: 'Not Found' });
  }
};

describe('browser entry', () => {
  it('bundles for the browser with no Node built-in', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../index.ts', import.meta.url))],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((p) => p.includes('node/') || p.startsWith('node:'))).toBe(false);
    expect(result.outputFiles[0].text).not.toMatch(
      /from ["']node:|require\(["'](fs|zlib|os|https)["']\)/,
    );
  });

  it('spells each embedded file as a literal new URL(…, import.meta.url) that bundlers emit', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../index.ts', import.meta.url))],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].text;
    for (const name of Object.values(MNIST_FILE_NAMES)) {
      expect(code).toContain(`new URL("../data/mnist/${name}.gz", import.meta.url)`);
    }
    // A folder URL is not an asset: bundlers warn about it or miss the files.
    expect(code).not.toMatch(/new URL\("[^"]*\/", import\.meta\.url\)/);
  });

  it('fetches the four per-file embedded URLs unless embeddedUrl is given', async () => {
    const asked: string[] = [];
    const spy: typeof fetch = (input, init) => {
      asked.push(String(input));
      return fileFetch(input, init);
    };
    await loadMnist({ fetch: spy });
    const urls = embeddedMnistUrls();
    expect(asked.sort()).toEqual(Object.values(urls).map(String).sort());
    asked.length = 0;
    const data = await loadMnist({ fetch: spy, embeddedUrl: embeddedMnistUrl() });
    expect(asked.sort()).toEqual(Object.values(urls).map(String).sort());
    expect(data.source.location).toBe(String(embeddedMnistUrl()));
  });

  it('loads the embedded digits over fetch, identical to the Node loader', async () => {
    const browser = await loadMnist({ fetch: fileFetch });
    const node = await loadMnistNode({ cacheDir: '/nonexistent-cnnlab-cache' });
    expect(browser.source.kind).toBe('embedded');
    expect(browser.source.location).toBe(String(embeddedMnistUrl()));
    expect(firstDifference(browser.train.images.data, node.train.images.data)).toBe(-1);
    expect(firstDifference(browser.test.labels, node.test.labels)).toBe(-1);
  });

  it('names the URL that failed', async () => {
    await expect(loadMnist({ url: 'file:///nowhere/', fetch: fileFetch })).rejects.toThrow(
      'download of file:///nowhere/train-images-idx3-ubyte.gz failed: HTTP 404 Not Found',
    );
    await expect(loadFashionMnist()).rejects.toThrow(/give options\.url/);
  });

  it('parses an uploaded File as it streams', async () => {
    const file = new File([signCsv([0, 21, 3])], 'upload.csv');
    const data = await loadSignMnist(file, { classes: ['A', 'V'] });
    expect(Array.from(data.labels)).toEqual([0, 1]);
    const bad = new File(['label,pixel1\n'], 'bad-upload.csv');
    await expect(loadSignMnist(bad)).rejects.toThrow(/^bad-upload\.csv: line 1/);
  });

  it('inflates a gzipped upload, bytes and URL, told by the magic bytes', async () => {
    const gzipped = gzipSync(new TextEncoder().encode(signCsv([0, 21, 3])));
    const uploaded = await loadSignMnist(new File([gzipped], 'sign.csv'), { classes: ['A', 'V'] });
    expect(Array.from(uploaded.labels)).toEqual([0, 1]);
    expect(Array.from((await loadSignMnist(gzipped)).labels)).toEqual([0, 20, 3]);
    expect(Array.from((await loadSignMnist(gzipped.slice().buffer)).labels)).toEqual([0, 20, 3]);
    const served: typeof fetch = async () => new Response(gzipped);
    const fetched = await loadSignMnist('https://example.com/sign.csv.gz', { fetch: served });
    expect(Array.from(fetched.labels)).toEqual([0, 20, 3]);
  });
});
