import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { writeIdx } from '../idx.js';
import { download } from './download.js';
import { loadMnist } from './load-mnist.js';

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), `cnnlab-dl-${prefix}-`));
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

// Larger than a write stream's buffer, so that writing has to wait for 'drain'.
const big = new Uint8Array(4 << 20).map((_, i) => i % 251);
const labelsGz = gzipSync(writeIdx({ data: new Uint8Array(10).fill(3), shape: [10] }));

let server: Server;
let base: string;
let askedEncoding: string | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '';
    if (url === '/big.bin') {
      res.writeHead(200, { 'content-length': big.length }).end(big);
    } else if (url === '/encoded/labels.gz') {
      // A static server sending a .gz file as is, but labelled Content-Encoding: gzip (nginx's
      // gzip_static, object-storage metadata): the stored bytes must be the file, not inflated.
      askedEncoding = req.headers['accept-encoding'];
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': labelsGz.length });
      res.end(labelsGz);
    } else if (url === '/hop/1') {
      res.writeHead(301, { location: `${base}/hop/2` }).end();
    } else if (url === '/hop/2') {
      res.writeHead(302, { location: '../encoded/labels.gz' }).end('moved');
    } else if (url.startsWith('/loop/')) {
      res.writeHead(307, { location: `/loop/${Number(url.slice(6)) + 1}` }).end();
    } else if (url.startsWith('/mnist/')) {
      res.writeHead(200, { 'content-length': big.length }).end(big);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Rejections nobody handled while `run` was in flight (each would end a plain Node process). */
async function unhandledDuring(run: () => Promise<unknown>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const record = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', record);
  try {
    await run();
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off('unhandledRejection', record);
  }
  return seen;
}

describe('download write failures', () => {
  it('rejects with a DatasetError naming the URL and file when the folder is a file', async () => {
    const dir = tmp('notdir');
    writeFileSync(join(dir, 'file'), 'x');
    // ENOTDIR: fails for root too, unlike permissions.
    const dest = join(dir, 'file', 'sub', 'big.bin');
    let error: unknown;
    const unhandled = await unhandledDuring(async () => {
      error = await download(`${base}/big.bin`, dest).catch((e: unknown) => e);
    });
    expect(unhandled).toEqual([]);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toContain(`download of ${base}/big.bin failed: cannot write`);
    expect((error as Error).message).toContain(dest);
    expect((error as Error).message).toMatch(/ENOTDIR/);
    expect(readdirSync(dir)).toEqual(['file']);
  });

  // /proc/self is a folder in which nobody, root included, can create a file: the temporary file
  // fails to open while the 4 MiB response streams in.
  it.runIf(process.platform === 'linux')(
    'rejects with a DatasetError when the temporary file cannot be created',
    async () => {
      let error: unknown;
      const unhandled = await unhandledDuring(async () => {
        error = await download(`${base}/big.bin`, '/proc/self/big.bin').catch((e: unknown) => e);
      });
      expect(unhandled).toEqual([]);
      expect(error).toBeInstanceOf(DatasetError);
      expect((error as Error).message).toMatch(
        /^download of http:.*\/big\.bin failed: cannot write \/proc\/self\/big\.bin: E[A-Z]+/,
      );
    },
  );

  it('fails loadMnist cleanly when the cache path runs through a file', async () => {
    const dir = tmp('cachefile');
    writeFileSync(join(dir, 'file'), 'x');
    const unhandled = await unhandledDuring(async () => {
      await expect(
        loadMnist({ url: `${base}/mnist/`, cacheDir: join(dir, 'file', 'cache'), verify: false }),
      ).rejects.toThrow(/train-images-idx3-ubyte\.gz failed: cannot write .*ENOTDIR/);
    });
    expect(unhandled).toEqual([]);
  });

  it('keeps the temporary name short for a long destination name', async () => {
    const dir = tmp('long');
    const dest = join(dir, `${'x'.repeat(240)}.bin`);
    await download(`${base}/big.bin`, dest, { md5: md5(big) });
    expect(readdirSync(dir)).toEqual([`${'x'.repeat(240)}.bin`]);
  });
});

describe('download over HTTP', () => {
  it('stores the bytes as sent when the server labels them Content-Encoding: gzip', async () => {
    const dir = tmp('encoded');
    const dest = join(dir, 't10k-labels-idx1-ubyte.gz');
    await download(`${base}/encoded/labels.gz`, dest, {
      size: labelsGz.length,
      md5: md5(labelsGz),
    });
    expect(md5(readFileSync(dest))).toBe(md5(labelsGz));
    expect(readdirSync(dir)).toEqual(['t10k-labels-idx1-ubyte.gz']);
    expect(askedEncoding).toBe('identity');
  });

  it('follows redirects, absolute and relative, to the file', async () => {
    const dir = tmp('redirect');
    const dest = join(dir, 'labels.gz');
    const seen: number[] = [];
    await download(`${base}/hop/1`, dest, {
      md5: md5(labelsGz),
      onProgress: (p) => seen.push(p.received),
    });
    expect(md5(readFileSync(dest))).toBe(md5(labelsGz));
    expect(seen.at(-1)).toBe(labelsGz.length);
  });

  it('gives up after five redirects, leaving nothing behind', async () => {
    const dir = tmp('loop');
    await expect(download(`${base}/loop/0`, join(dir, 'x.gz'))).rejects.toThrow(
      /download of .*\/loop\/0 failed: more than 5 redirects/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names an unsupported or invalid URL', async () => {
    const dir = tmp('scheme');
    await expect(download('ftp://example.com/x.gz', join(dir, 'x.gz'))).rejects.toThrow(
      /download of ftp:\/\/example\.com\/x\.gz failed: ftp: is not supported/,
    );
    await expect(download('not a url', join(dir, 'x.gz'))).rejects.toThrow(DatasetError);
  });
});
