import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { firstDifference, signCsv, signPixels } from '../../test/fixtures.js';
import { DatasetError } from '../errors.js';
import { parseSignMnist } from '../sign-mnist-csv.js';
import { loadSignMnist } from './load-sign-mnist.js';

const dir = mkdtempSync(join(tmpdir(), 'cnnlab-sign-'));
const labels = Array.from({ length: 3000 }, (_, i) => [0, 1, 21, 5, 24][i % 5]);

describe('loadSignMnist in Node', () => {
  it('streams a CSV file and equals the in-memory parse', async () => {
    const path = join(dir, 'sign_mnist_train.csv');
    const text = signCsv(labels);
    writeFileSync(path, text);
    const fromFile = await loadSignMnist(path);
    const inMemory = parseSignMnist(text);
    expect(firstDifference(fromFile.labels, inMemory.labels)).toBe(-1);
    expect(firstDifference(fromFile.images.data, inMemory.images.data)).toBe(-1);
    expect(fromFile.images.shape).toEqual([3000, 28, 28]);
  });

  it('keeps a subset from a gzipped file', async () => {
    const path = join(dir, 'sign_mnist_test.csv.gz');
    writeFileSync(path, gzipSync(signCsv(labels)));
    const rps = await loadSignMnist(path, { classes: [0, 1, 21] });
    expect(rps.labels.length).toBe(1800);
    expect(Array.from(rps.labels.subarray(0, 6))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(Array.from(rps.images.data.subarray(784 * 2, 784 * 3))).toEqual(signPixels(2));
  });

  it('accepts bytes', async () => {
    const data = await loadSignMnist(new TextEncoder().encode(signCsv([3, 4])));
    expect(Array.from(data.labels)).toEqual([3, 4]);
  });

  it('names the file in every error', async () => {
    const missing = join(dir, 'nope.csv');
    await expect(loadSignMnist(missing)).rejects.toThrow(`${missing}: file not found`);
    await expect(loadSignMnist(dir)).rejects.toThrow(DatasetError);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, signCsv([1, 2]).replace(/\n1,/, '\n1,x'));
    await expect(loadSignMnist(bad)).rejects.toThrow(`${bad}: line 2, column 2 (pixel1) holds "x"`);
    const badGz = join(dir, 'bad.csv.gz');
    writeFileSync(badGz, gzipSync(signCsv([1])).subarray(0, 40));
    await expect(loadSignMnist(badGz)).rejects.toThrow(badGz);
  });
});
