import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chunk, concat, greyData, ihdr, png } from '../../test/png-bytes.js';
import { VizError } from '../errors.js';
import { encodePng } from './png.js';
import { readPng } from './read-png.js';

const dir = mkdtempSync(join(tmpdir(), 'cnnlab-viz-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failure(path: string, limits = {}): Promise<string> {
  const error = await readPng(path, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VizError);
  return (error as Error).message;
}

describe('readPng', () => {
  it('reads a PNG file, through a link too', async () => {
    const file = join(dir, 'grey.png');
    writeFileSync(
      file,
      encodePng({ data: new Uint8Array([0, 50, 100, 150, 200, 250]), shape: [2, 3] }),
    );
    const image = await readPng(file);
    expect(image.shape).toEqual([2, 3, 4]);
    expect(image.data[4 * 5]).toBe(250);
    const link = join(dir, 'link.png');
    symlinkSync(file, link);
    expect((await readPng(link)).shape).toEqual([2, 3, 4]);
  });

  it('refuses what is not a regular file before reading a byte of it', async () => {
    expect(await failure('/dev/zero')).toBe('/dev/zero: is a device, not a file');
    expect(await failure(dir)).toBe(`${dir}: is a folder, not a file`);
    const zero = join(dir, 'zero.png');
    symlinkSync('/dev/zero', zero);
    expect(await failure(zero)).toBe(`${zero}: is a device, not a file`);
    const fifo = join(dir, 'fifo.png');
    execFileSync('mkfifo', [fifo]);
    expect(await failure(fifo)).toBe(`${fifo}: is a pipe, not a file`);
    expect(await failure(join(dir, 'missing.png'))).toMatch(/missing\.png: ENOENT: no such file/);
  });

  it('checks the header against the limits first, and the file size against the header', async () => {
    const huge = join(dir, 'huge.png');
    writeFileSync(huge, png(ihdr(30_000, 30_000)));
    expect(await failure(huge)).toBe(
      `${huge}: declares 30000×30000 pixels, more than the limit of 8,192 per side (maxSide)`,
    );
    // A 2×2 picture, then 20 MiB that no PNG of that size could need (the size is checked
    // before the chunks are).
    const data = greyData(new Uint8Array(4), 2, 2);
    const whole = png(ihdr(2, 2), chunk('IDAT', data));
    const padded = join(dir, 'padded.png');
    writeFileSync(padded, concat(whole, new Uint8Array(20 * 1024 * 1024)));
    expect(await failure(padded)).toMatch(
      /padded\.png: is 20,971,\d+ bytes, more than a 2×2 PNG can need \(16,777,\d+\)$/,
    );
    const cut = join(dir, 'cut.png');
    writeFileSync(cut, whole.subarray(0, whole.length - 12));
    expect(await failure(cut)).toBe(`${cut}: truncated: the file ends before its IEND chunk`);
    writeFileSync(cut, concat(whole.subarray(0, 8)));
    expect(await failure(cut)).toMatch(
      /truncated: the file ends inside its header, after 8 bytes$/,
    );
  });
});
