import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Random, seededRandom, sizeOf, type TypedArray } from '@cnnlab/core';
import { describe, expect, it } from 'vitest';
import { below, type Mutant, mutate } from '../test/mutate.js';
import { DatasetError } from './errors.js';
import { type IdxArray, readIdx, writeIdx } from './idx.js';
import { readIdxFile } from './node/read-idx-file.js';

// Seeded fuzzing of the IDX readers: every mutant of a valid file either parses to a consistent
// shape (the original one when its header was left alone) or throws a DatasetError. Any other
// error, or a hang (the test's timeout), is a bug.

const CASES = 600;
// Type codes, dimension counts and the bytes of big dimensions, for the "special value" mutation.
const SPECIALS = [0, 1, 3, 8, 9, 0x0b, 0x0c, 0x0d, 0x0e, 0x7f, 0x80, 0xff];

function valid(random: Random): { bytes: Uint8Array; shape: number[] } {
  const arrays: Array<() => { data: TypedArray; shape: number[] }> = [
    () => {
      const n = 1 + below(random, 4);
      const data = Uint8Array.from({ length: n * 28 * 28 }, () => below(random, 256));
      return { data, shape: [n, 28, 28] };
    },
    () => ({ data: Uint8Array.from({ length: 20 }, () => below(random, 10)), shape: [20] }),
    () => ({
      data: Int16Array.from({ length: 12 }, () => below(random, 65536) - 32768),
      shape: [3, 4],
    }),
    () => ({ data: Int32Array.from({ length: 6 }, () => below(random, 2 ** 31)), shape: [6] }),
    () => ({ data: Float32Array.from({ length: 8 }, () => random()), shape: [2, 2, 2] }),
    () => ({ data: Float64Array.from({ length: 3 }, () => random()), shape: [3, 1] }),
    () => ({ data: Int8Array.from({ length: 5 }, () => below(random, 256) - 128), shape: [5] }),
  ];
  const array = arrays[below(random, arrays.length)]();
  return { bytes: writeIdx(array), shape: array.shape };
}

/** Parses or throws a DatasetError; returns which, after checking the result is consistent. */
function outcome(result: () => IdxArray, shape: number[], headerKept: boolean): 'ok' | 'error' {
  let parsed: IdxArray;
  try {
    parsed = result();
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(DatasetError);
    expect((error as Error).message).not.toContain('\n');
    return 'error';
  }
  expect(parsed.data.length).toBe(sizeOf(parsed.shape));
  if (headerKept) expect(parsed.shape).toEqual(shape);
  return 'ok';
}

/** A gzipped mutant: the raw file mutated then gzipped, or the gzip stream itself mutated. */
function gzipMutant(random: Random): { mutant: Mutant; shape: number[] } {
  const { bytes, shape } = valid(random);
  const headerBytes = 4 + 4 * shape.length;
  if (random() < 0.5) {
    const mutant = mutate(bytes, random, headerBytes, SPECIALS);
    return { mutant: { ...mutant, bytes: new Uint8Array(gzipSync(mutant.bytes)) }, shape };
  }
  // Damage to the compressed stream may land anywhere in the inflated header.
  const mutant = mutate(new Uint8Array(gzipSync(bytes)), random, Number.POSITIVE_INFINITY);
  return { mutant, shape };
}

describe('fuzzing the IDX readers', () => {
  it(`readIdx on ${CASES} mutated raw files`, () => {
    const random = seededRandom(15);
    const seen = { ok: 0, error: 0 };
    for (let i = 0; i < CASES; i++) {
      const { bytes, shape } = valid(random);
      const mutant = mutate(bytes, random, 4 + 4 * shape.length, SPECIALS);
      seen[outcome(() => readIdx(mutant.bytes, { name: 'fuzz' }), shape, !mutant.touched)]++;
    }
    // Both outcomes occur: the mutations are neither all harmless nor all fatal.
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.error).toBeGreaterThan(CASES / 4);
  });

  it(`readIdx on ${CASES} mutated gzip files`, () => {
    const random = seededRandom(1015);
    const seen = { ok: 0, error: 0 };
    for (let i = 0; i < CASES; i++) {
      const { mutant, shape } = gzipMutant(random);
      seen[outcome(() => readIdx(mutant.bytes, { name: 'fuzz.gz' }), shape, !mutant.touched)]++;
    }
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.error).toBeGreaterThan(CASES / 4);
  });

  it('readIdxFile (zlib) agrees on 150 mutated gzip files and 150 raw ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnnlab-fuzz-idx-'));
    const random = seededRandom(2015);
    for (let i = 0; i < 300; i++) {
      let mutant: Mutant;
      let shape: number[];
      if (i % 2 === 0) ({ mutant, shape } = gzipMutant(random));
      else {
        const file = valid(random);
        shape = file.shape;
        mutant = mutate(file.bytes, random, 4 + 4 * shape.length, SPECIALS);
      }
      const path = join(dir, `case-${i}`);
      writeFileSync(path, mutant.bytes);
      let bytes: Uint8Array | undefined;
      try {
        bytes = await readIdxFile(path);
      } catch (error) {
        expect(error, `${mutant.what}: ${error}`).toBeInstanceOf(DatasetError);
      }
      if (bytes) outcome(() => readIdx(bytes as Uint8Array), shape, !mutant.touched);
    }
  });
});
