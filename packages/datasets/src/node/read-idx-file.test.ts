import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { idxBomb, idxImages } from '../../test/bombs.js';
import { runBundled } from '../../test/run-bundled.js';
import { DatasetError } from '../errors.js';
import { readIdx, writeIdx } from '../idx.js';
import { MNIST_FILE_NAMES } from '../mnist-files.js';
import { loadMnist } from './load-mnist.js';
import { readIdxFile } from './read-idx-file.js';

const dir = mkdtempSync(join(tmpdir(), 'cnnlab-readidx-'));
const linux = process.platform === 'linux';
const EXPECTED = 'expected an IDX file (raw or gzip), a regular file';

/** The message of the DatasetError a read rejects with (any other error fails the test). */
async function refusal(path: string): Promise<string> {
  const error = await readIdxFile(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetError);
  expect((error as Error).message).not.toContain('\n');
  return (error as Error).message;
}

describe('readIdxFile reads only regular files', () => {
  it.runIf(linux)('refuses a link to /dev/zero before reading a byte', async () => {
    const link = join(dir, 'zero-images-idx3-ubyte');
    symlinkSync('/dev/zero', link);
    expect(await refusal(link)).toBe(
      `${link} (a link to /dev/zero) is a character device; ${EXPECTED}`,
    );
  });

  it.runIf(linux)('refuses a FIFO without waiting for a writer', async () => {
    const fifo = join(dir, 'fifo-labels-idx1-ubyte');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return;
    expect(await refusal(fifo)).toBe(`${fifo} is a FIFO (named pipe); ${EXPECTED}`);
  });

  it('refuses a folder and names a missing file', async () => {
    expect(await refusal(dir)).toBe(`${dir} is a folder; ${EXPECTED}`);
    const missing = join(dir, 'nothing-here');
    expect(await refusal(missing)).toBe(
      `${missing}: file not found; expected an IDX file (raw or gzip)`,
    );
  });

  it.runIf(linux)(
    'is what loadMnist uses: a data folder with a link to /dev/zero fails',
    async () => {
      const data = mkdtempSync(join(tmpdir(), 'cnnlab-zero-dir-'));
      for (const [role, name] of Object.entries(MNIST_FILE_NAMES)) {
        const path = join(data, name);
        if (role === 'testImages') symlinkSync('/dev/zero', path);
        else writeFileSync(path, writeIdx({ data: new Uint8Array(784), shape: [1, 28, 28] }));
      }
      await expect(loadMnist({ dir: data })).rejects.toThrow(
        `${join(data, MNIST_FILE_NAMES.testImages)} (a link to /dev/zero) is a character device`,
      );
    },
  );
});

describe('readIdxFile checks sizes against the header before allocating', () => {
  it('refuses a raw file longer than its header declares without reading it', async () => {
    // 8 GiB, sparse: no disk used, and reading it all would take far longer than the test may.
    const path = join(dir, 'huge-images-idx3-ubyte');
    writeFileSync(path, idxImages(1));
    truncateSync(path, 8 * 2 ** 30);
    const started = Date.now();
    expect(await refusal(path)).toBe(
      `${path}: has trailing bytes: shape [1, 28, 28] of uint8 needs 800 bytes, file has 8589934592`,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a raw file shorter than its header declares', async () => {
    const path = join(dir, 'short-images-idx3-ubyte');
    const header = idxImages(0).slice();
    new DataView(header.buffer).setUint32(4, 60000);
    writeFileSync(path, header);
    expect(await refusal(path)).toBe(
      `${path}: truncated: shape [60000, 28, 28] of uint8 needs 47040016 bytes, file has 16`,
    );
    writeFileSync(path, Uint8Array.of(0, 0, 8));
    expect(await refusal(path)).toBe(`${path}: truncated IDX file (3 bytes, header needs 4)`);
  });

  it('stops a gzip bomb at the declared size, fast', async () => {
    const path = join(dir, 'bomb-images-idx3-ubyte.gz');
    writeFileSync(path, idxBomb(5));
    const started = Date.now();
    expect(await refusal(path)).toMatch(
      new RegExp(
        `^${path}: the data is longer than its header declares \\(shape \\[1, 28, 28\\] of uint8 needs 800 bytes; stopped reading at \\d+\\)$`,
      ),
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('names a gzip file that inflates to less than its header declares', async () => {
    const path = join(dir, 'cut-labels-idx1-ubyte.gz');
    const labels = writeIdx({ data: new Uint8Array(100), shape: [100] });
    writeFileSync(path, gzipSync(labels.subarray(0, 50)));
    expect(await refusal(path)).toBe(
      `${path}: truncated: shape [100] of uint8 needs 108 bytes, file has 50`,
    );
  });

  it('reads good raw and gzip files to the same bytes readIdx decodes', async () => {
    const idx = writeIdx({
      data: Uint8Array.from({ length: 3 * 784 }, (_, i) => i),
      shape: [3, 28, 28],
    });
    writeFileSync(join(dir, 'ok'), idx);
    writeFileSync(join(dir, 'ok.gz'), gzipSync(idx));
    for (const name of ['ok', 'ok.gz']) {
      const bytes = await readIdxFile(join(dir, name));
      expect(Buffer.from(bytes).equals(Buffer.from(idx))).toBe(true);
      expect(readIdx(bytes).shape).toEqual([3, 28, 28]);
    }
  });
});

describe('a decompression bomb costs bounded memory', () => {
  // Issue 15: a 5 MB .gz declaring one image, then 5 GiB of zeros, took 4.4 GB and 30 s. Each
  // reader runs in a child process of its own, which reports its peak resident memory.
  const child = `
import { readFileSync } from 'node:fs';
import { readIdx } from './idx.js';
import { readIdxFile } from './node/read-idx-file.js';
const [reader, path] = process.argv.slice(2);
let error = 'none';
try {
  if (reader === 'node') await readIdxFile(path);
  else readIdx(readFileSync(path), { name: path });
} catch (e) {
  error = e.name + ': ' + e.message;
}
console.log(JSON.stringify({ error, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
`;

  it.each(['node', 'browser-safe'])('in the %s reader', async (reader) => {
    const path = join(dir, `bomb-${reader}.gz`);
    writeFileSync(path, idxBomb(5));
    const result = await runBundled(child, [reader, path]);
    expect(result.stderr).toBe('');
    const { error, maxRssMiB } = JSON.parse(result.stdout);
    expect(error).toMatch(/^DatasetError: .* the data is longer than its header declares/);
    expect(maxRssMiB).toBeLessThan(200);
  });
});
