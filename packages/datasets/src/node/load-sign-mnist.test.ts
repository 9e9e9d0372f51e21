import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { csvBomb } from '../../test/bombs.js';
import { firstDifference, signCsv, signPixels } from '../../test/fixtures.js';
import { runBundled } from '../../test/run-bundled.js';
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

describe('loadSignMnist in Node takes what the browser entry takes', () => {
  const text = signCsv([3, 21, 0]);
  const plain = new TextEncoder().encode(text);
  const gzipped = new Uint8Array(gzipSync(text));
  const expectRows = (data: { labels: Uint8Array; images: { data: Uint8Array } }) => {
    expect(Array.from(data.labels)).toEqual([3, 20, 0]);
    expect(Array.from(data.images.data.subarray(784, 1568))).toEqual(signPixels(1));
  };

  it('tells gzip by its magic bytes in a file, whatever the name', async () => {
    const path = join(dir, 'gzip-named.csv');
    writeFileSync(path, gzipped);
    expectRows(await loadSignMnist(path));
    const plainGz = join(dir, 'plain-named.csv.gz');
    writeFileSync(plainGz, plain);
    expectRows(await loadSignMnist(plainGz));
    expectRows(await loadSignMnist(pathToFileURL(path)));
  });

  it('inflates gzipped bytes and takes an ArrayBuffer', async () => {
    expectRows(await loadSignMnist(gzipped));
    expectRows(await loadSignMnist(gzipped.slice().buffer));
    expectRows(await loadSignMnist(plain.slice().buffer));
  });

  it('reads a File, a Blob and a web ReadableStream, gzipped or not', async () => {
    expectRows(await loadSignMnist(new File([plain], 'upload.csv')));
    expectRows(await loadSignMnist(new File([gzipped], 'upload.csv')));
    expectRows(await loadSignMnist(new Blob([gzipped])));
    expectRows(await loadSignMnist(new Blob([plain]).stream()));
    expectRows(await loadSignMnist(new Blob([gzipped]).stream()));
    async function* oneByteAtATime() {
      for (const byte of gzipped) yield Uint8Array.of(byte);
    }
    expectRows(await loadSignMnist(oneByteAtATime()));
  });

  it('names an upload whose gzip stream is cut short', async () => {
    const cut = new File([gzipped.subarray(0, gzipped.length - 20)], 'cut.csv.gz');
    await expect(loadSignMnist(cut)).rejects.toThrow(
      /^cut\.csv\.gz: starts like gzip but does not inflate/,
    );
  });

  it('fetches an http URL, given as a string or a URL object', async () => {
    const server = createServer((req, res) => {
      res.writeHead(200).end(req.url === '/sign.csv.gz' ? gzipped : plain);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expectRows(await loadSignMnist(`${base}/sign.csv`));
      expectRows(await loadSignMnist(new URL(`${base}/sign.csv.gz`)));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('loadSignMnist in Node costs bounded time and memory', () => {
  const EXPECTED = 'expected a Sign-MNIST CSV (label,pixel1,…,pixel784), a regular file';

  it.runIf(process.platform === 'linux')('refuses a link to /dev/zero and a FIFO', async () => {
    const link = join(dir, 'zero.csv');
    symlinkSync('/dev/zero', link);
    await expect(loadSignMnist(link)).rejects.toThrow(
      `${link} (a link to /dev/zero) is a character device; ${EXPECTED}`,
    );
    const fifo = join(dir, 'fifo.csv');
    if (spawnSync('mkfifo', [fifo]).status === 0) {
      await expect(loadSignMnist(fifo)).rejects.toThrow(
        `${fifo} is a FIFO (named pipe); ${EXPECTED}`,
      );
    }
  });

  it('stops a gzipped CSV that inflates past maxBytes', async () => {
    const path = join(dir, 'bomb.csv.gz');
    // About 64 MiB of valid rows in 70 KB.
    writeFileSync(path, csvBomb(64));
    await expect(loadSignMnist(path, { maxBytes: 4 << 20 })).rejects.toThrow(
      `${path}: is longer than 4194304 bytes of CSV text (maxBytes); expected a Sign-MNIST CSV within that limit`,
    );
    await expect(loadSignMnist(csvBomb(64), { maxBytes: 4 << 20 })).rejects.toThrow(
      'Sign-MNIST CSV: is longer than 4194304 bytes of CSV text (maxBytes)',
    );
    await expect(loadSignMnist(path, { maxBytes: 0 })).rejects.toThrow(
      'maxBytes is 0; expected a positive number of bytes (default 268435456)',
    );
  });

  it('keeps a 1 GiB CSV bomb to a bounded peak memory, from a file and from bytes', async () => {
    const path = join(dir, 'big-bomb.csv.gz');
    // 1 GiB of valid rows in 1 MB of gzip, stopped at maxBytes, in a child process each.
    writeFileSync(path, csvBomb(1024));
    const child = `
import { readFileSync } from 'node:fs';
import { loadSignMnist } from './node/load-sign-mnist.js';
const [how, path] = process.argv.slice(2);
let error = 'none';
try {
  await loadSignMnist(how === 'file' ? path : readFileSync(path), { maxBytes: 32 << 20 });
} catch (e) {
  error = e.name + ': ' + e.message;
}
console.log(JSON.stringify({ error, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
`;
    for (const how of ['file', 'bytes']) {
      const result = await runBundled(child, [how, path]);
      expect(result.stderr).toBe('');
      const { error, maxRssMiB } = JSON.parse(result.stdout);
      expect(error).toMatch(/^DatasetError: .*is longer than 33554432 bytes of CSV text/);
      expect(maxRssMiB).toBeLessThan(200);
    }
  });
});
