import { describe, expect, it } from 'vitest';
import { DatasetError } from './errors.js';
import { writeIdx } from './idx.js';
import { IdxCollector } from './idx-collector.js';

const idx = writeIdx({ data: Uint8Array.from({ length: 2 * 9 }, (_, i) => i), shape: [2, 3, 3] });

describe('IdxCollector', () => {
  it('joins chunks of any size into the file, once the header is whole', () => {
    for (const size of [1, 3, 7, idx.length]) {
      const collector = new IdxCollector('f');
      for (let at = 0; at < idx.length; at += size) collector.push(idx.subarray(at, at + size));
      expect(collector.declared?.shape).toEqual([2, 3, 3]);
      expect(Array.from(collector.finish())).toEqual(Array.from(idx));
    }
  });

  it('throws as soon as the bytes outgrow the declared length', () => {
    const collector = new IdxCollector('bomb.gz');
    collector.push(idx);
    expect(() => collector.push(new Uint8Array(1))).toThrow(DatasetError);
    expect(() => new IdxCollector('b').push(new Uint8Array([...idx, 0]))).toThrow(
      'b: the data is longer than its header declares (shape [2, 3, 3] of uint8 needs 34 bytes; stopped reading at 35)',
    );
  });

  it('names a short file and a wrong magic number as early as it can', () => {
    const short = new IdxCollector('s');
    short.push(idx.subarray(0, 20));
    expect(() => short.finish()).toThrow(
      's: truncated: shape [2, 3, 3] of uint8 needs 34 bytes, file has 20',
    );
    const header = new IdxCollector('h');
    header.push(idx.subarray(0, 6));
    expect(() => header.finish()).toThrow(/^h: truncated IDX header \(6 bytes/);
    expect(() => new IdxCollector('m').push(Uint8Array.of(1, 2, 3, 4))).toThrow(
      /^m: wrong magic number 0x01020304/,
    );
    expect(() => new IdxCollector('e').finish()).toThrow(/^e: truncated IDX file \(0 bytes/);
  });
});
