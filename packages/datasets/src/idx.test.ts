import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DatasetError } from './errors.js';
import { readIdx, writeIdx } from './idx.js';

describe('readIdx / writeIdx', () => {
  it('writes the big-endian header byte for byte', () => {
    const bytes = writeIdx({ data: new Uint8Array([7, 8, 9, 10, 11, 12]), shape: [3, 1, 2] });
    // 00 00 08 03 | 00000003 | 00000001 | 00000002 | data
    expect(Array.from(bytes)).toEqual([
      0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 7, 8, 9, 10, 11, 12,
    ]);
  });

  it('reads a hand-written idx1 label file', () => {
    const file = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 4, 5, 0, 4, 1]);
    const idx = readIdx(file);
    expect(idx.dtype).toBe('uint8');
    expect(idx.shape).toEqual([4]);
    expect(Array.from(idx.data)).toEqual([5, 0, 4, 1]);
  });

  it('returns uint8 data as a view on the input, not a copy', () => {
    const file = writeIdx({ data: new Uint8Array(2 * 3 * 3).fill(9), shape: [2, 3, 3] });
    const idx = readIdx(file);
    expect(idx.data.buffer).toBe(file.buffer);
    expect(idx.data.byteOffset).toBe(16);
  });

  it.each([
    ['uint8', new Uint8Array([0, 1, 255, 128])],
    ['int8', new Int8Array([-128, -1, 0, 127])],
    ['int16', new Int16Array([-32768, -2, 300, 32767])],
    ['int32', new Int32Array([-2147483648, -5, 70000, 2147483647])],
    ['float32', new Float32Array([-1.5, 0, 3.25, 1e-7])],
    ['float64', new Float64Array([-1.5, Math.PI, 1e300, -0])],
  ] as const)('round-trips %s raw and gzipped', (dtype, data) => {
    for (const gzip of [false, true]) {
      const bytes = writeIdx({ data, shape: [2, 2] }, { gzip });
      expect(bytes[0] === 0x1f && bytes[1] === 0x8b).toBe(gzip);
      const idx = readIdx(bytes);
      expect(idx.dtype).toBe(dtype);
      expect(idx.shape).toEqual([2, 2]);
      expect(Array.from(idx.data)).toEqual(Array.from(data));
    }
  });

  it('stores multi-byte values big-endian', () => {
    const bytes = writeIdx({ data: new Int16Array([0x0102]), shape: [1] });
    expect(Array.from(bytes.subarray(8))).toEqual([1, 2]);
  });

  it('detects gzip by its magic bytes, not by a name', () => {
    const raw = writeIdx({ data: new Uint8Array([1, 2, 3]), shape: [3] });
    expect(Array.from(readIdx(gzipSync(raw)).data)).toEqual([1, 2, 3]);
  });

  it('rejects a wrong magic number, naming the file', () => {
    const bad = new Uint8Array([0, 1, 8, 1, 0, 0, 0, 1, 5]);
    expect(() => readIdx(bad, { name: 'labels.idx' })).toThrow(DatasetError);
    expect(() => readIdx(bad, { name: 'labels.idx' })).toThrow(
      /labels\.idx: wrong magic number 0x00010801/,
    );
    expect(() => readIdx(new Uint8Array([0, 0, 0x42, 1, 0, 0, 0, 0]))).toThrow(/wrong magic/);
  });

  it('rejects truncated files and trailing bytes with the sizes involved', () => {
    const good = writeIdx({ data: new Uint8Array(12), shape: [3, 2, 2] });
    expect(() => readIdx(good.subarray(0, 2), { name: 'f' })).toThrow(
      /f: truncated IDX file \(2 bytes/,
    );
    expect(() => readIdx(good.subarray(0, 10), { name: 'f' })).toThrow(/truncated IDX header/);
    expect(() => readIdx(good.subarray(0, good.length - 1), { name: 'f' })).toThrow(
      /f: truncated: shape \[3, 2, 2\] of uint8 needs 28 bytes, file has 27/,
    );
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    expect(() => readIdx(longer, { name: 'f' })).toThrow(/has trailing bytes/);
    expect(() => readIdx(new Uint8Array([0, 0, 8, 0]))).toThrow(/0 dimensions/);
  });

  it('rejects a gzip stream that does not inflate', () => {
    const gz = writeIdx({ data: new Uint8Array(1000).fill(3), shape: [1000] }, { gzip: true });
    expect(() => readIdx(gz.subarray(0, gz.length - 30), { name: 'x.gz' })).toThrow(
      /x\.gz: starts like gzip but does not inflate/,
    );
  });

  it('takes an ArrayBuffer, and names anything that is not bytes', () => {
    const bytes = writeIdx({ data: new Uint8Array([1, 2, 3, 4]), shape: [2, 2] });
    const copy = bytes.slice();
    expect(readIdx(copy.buffer).shape).toEqual([2, 2]);
    expect(Array.from(readIdx(copy.buffer).data)).toEqual([1, 2, 3, 4]);
    for (const bad of [undefined, null, 'text', [0, 0, 8, 1], new Float32Array(4)]) {
      expect(() => readIdx(bad as unknown as Uint8Array, { name: 'f.idx' })).toThrow(DatasetError);
    }
    expect(() => readIdx([0, 0, 8, 1] as unknown as Uint8Array, { name: 'f.idx' })).toThrow(
      /f\.idx: expected bytes \(a Uint8Array or an ArrayBuffer\), got Array/,
    );
  });

  it('checks what it is asked to write', () => {
    expect(() => writeIdx({ data: new Uint8Array(5), shape: [2, 2] })).toThrow(
      /holds 4 elements but data has 5/,
    );
    expect(() => writeIdx({ data: new Uint8Array(0), shape: [] })).toThrow(/1 to 255 dimensions/);
    expect(() => writeIdx({ data: new Uint32Array(1), shape: [1] })).toThrow(/Uint32Array/);
    expect(() => writeIdx({ data: null as unknown as Uint8Array, shape: [1] })).toThrow(
      /writeIdx: data is null; expected a typed array/,
    );
  });
});
