import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { firstDifference, signCsv } from '../../test/fixtures.js';
import { embeddedMnistUrl } from '../embedded-location.js';
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
});
