import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetError } from './errors.js';
import { GzipDecoder, isGzip, maybeGunzip } from './gzip.js';
import { readIdx, writeIdx } from './idx.js';

const idx = writeIdx({
  data: Uint8Array.from({ length: 2 * 4 * 4 }, (_, i) => i),
  shape: [2, 4, 4],
});
const text = new TextEncoder().encode('hello gzip, '.repeat(50));
const gz = (bytes: Uint8Array) => new Uint8Array(gzipSync(bytes));
const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const zeros = (n: number) => new Uint8Array(n);
// A member whose trailer ends in zero bytes (a length below 2^16), to tell padding from trailer.
const small = gz(text);
const multi = cat(gz(idx.subarray(0, 10)), gz(idx.subarray(10)));

/** What a decoder makes of the bytes: the inflated text in hex, or 'error'. */
function outcome(decode: (bytes: Uint8Array) => Uint8Array, bytes: Uint8Array): string {
  try {
    return Buffer.from(decode(bytes)).toString('hex');
  } catch {
    return 'error';
  }
}

function streamed(bytes: Uint8Array, size: number): Uint8Array {
  const decoder = new GzipDecoder('streamed');
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size)
    out.push(...decoder.push(bytes.subarray(i, i + size)));
  out.push(...decoder.finish());
  return cat(...out);
}

const flipped = (bytes: Uint8Array, at: number) => {
  const copy = bytes.slice();
  copy[at < 0 ? copy.length + at : at] ^= 0x40;
  return copy;
};

const cases: [string, Uint8Array][] = [
  ['one member', small],
  ['two members', multi],
  ['three members, one empty', cat(gz(text), gz(zeros(0)), gz(idx))],
  ...[1, 3, 4, 8, 9, 512].map((n): [string, Uint8Array] => [
    `${n} zero bytes of padding`,
    cat(small, zeros(n)),
  ]),
  ['two members and padding', cat(multi, zeros(100))],
  ...[1, 2, 4, 8].map((n): [string, Uint8Array] => [
    `trailer cut by ${n}`,
    small.subarray(0, small.length - n),
  ]),
  ['deflate data cut', small.subarray(0, small.length - 12)],
  ['second member cut in its header', cat(small, gz(text).subarray(0, 5))],
  ['second member cut in its data', cat(small, gz(text).subarray(0, 20))],
  ['a wrong CRC-32', flipped(small, -8)],
  ['a wrong length', flipped(small, -3)],
  ['a wrong CRC-32 in the first of two members', cat(flipped(small, -6), small)],
  ['garbage after the member', cat(small, new TextEncoder().encode('abc'))],
  ['two bytes of garbage after the member', cat(small, new TextEncoder().encode('ab'))],
  ['a member after a zero byte (zlib stops at the zero)', cat(small, zeros(2), gz(idx))],
  ['an unknown compression method', flipped(small, 2)],
  ['garbage after zero padding', cat(small, zeros(4), new TextEncoder().encode('abc'))],
];

describe('the browser-safe gunzip agrees with Node zlib', () => {
  it.each(cases)('on %s', (_what, bytes) => {
    const node = outcome((b) => gunzipSync(b), bytes);
    expect(outcome((b) => maybeGunzip(b), bytes)).toBe(node);
    for (const size of [1, 3, 1000]) expect(outcome((b) => streamed(b, size), bytes)).toBe(node);
  });

  it('on every truncation and every flipped byte of a two-member stream', () => {
    const differ: string[] = [];
    const compare = (what: string, bytes: Uint8Array) => {
      const node = outcome((b) => gunzipSync(b), bytes);
      // Without the magic number the bytes are not gzip, and maybeGunzip passes them through.
      if (isGzip(bytes) && outcome((b) => maybeGunzip(b), bytes) !== node) differ.push(what);
      if (outcome((b) => streamed(b, 7), bytes) !== node) differ.push(`${what}, streamed`);
    };
    for (let n = 2; n <= multi.length; n++) compare(`cut to ${n}`, multi.subarray(0, n));
    for (let i = 0; i < multi.length; i++) compare(`byte ${i} flipped`, flipped(multi, i));
    expect(differ).toEqual([]);
  });

  it('reads a two-member and a zero-padded IDX file like zlib does', () => {
    const padded = cat(gz(idx), zeros(512));
    for (const bytes of [multi, padded]) {
      const viaZlib = readIdx(new Uint8Array(gunzipSync(bytes)));
      const viaFflate = readIdx(bytes);
      expect(viaFflate.shape).toEqual([2, 4, 4]);
      expect(Array.from(viaFflate.data)).toEqual(Array.from(viaZlib.data));
    }
  });

  it('names the input when a stream is truncated or corrupt', () => {
    for (const bad of [small.subarray(0, small.length - 2), flipped(small, -8)]) {
      expect(() => maybeGunzip(bad, 'x.gz')).toThrow(DatasetError);
      expect(() => maybeGunzip(bad, 'x.gz')).toThrow(
        /^x\.gz: starts like gzip but does not inflate \(truncated or corrupt gzip stream/,
      );
    }
  });
});

describe('GzipDecoder.inflate', () => {
  it('inflates a step at a time, so a consumer that stops leaves the rest uninflated', () => {
    // 64 MiB of zeros in 64 KiB of gzip: a consumer wanting 1 MiB must not pay for 64.
    const bomb = gz(zeros(64 << 20));
    const decoder = new GzipDecoder('bomb');
    let seen = 0;
    let steps = 0;
    for (const chunk of decoder.inflate(bomb)) {
      seen += chunk.length;
      steps++;
      if (seen > 1 << 20) break;
    }
    expect(seen).toBeLessThan(4 << 20);
    expect(steps).toBeGreaterThan(0);
  });

  it('gives the same bytes as push, and maybeGunzip stops at maxBytes', () => {
    const pushed = new GzipDecoder('a');
    const stepped = new GzipDecoder('b');
    const a = cat(...pushed.push(multi), ...pushed.finish());
    const b = cat(...stepped.inflate(multi), ...stepped.finish());
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
    expect(maybeGunzip(gz(text), 'x.gz', { maxBytes: text.length }).length).toBe(text.length);
    expect(() => maybeGunzip(gz(zeros(64 << 20)), 'x.gz', { maxBytes: 1000 })).toThrow(
      'x.gz: inflates to more than 1000 bytes (maxBytes); expected at most that much data',
    );
  });
});
