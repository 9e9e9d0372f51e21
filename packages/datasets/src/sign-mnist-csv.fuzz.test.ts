import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Random, seededRandom } from '@cnnlab/core';
import { describe, expect, it } from 'vitest';
import { signCsv } from '../test/fixtures.js';
import { below, mutate } from '../test/mutate.js';
import { loadSignMnist as loadBytes } from './browser/load-sign-mnist.js';
import { DatasetError } from './errors.js';
import { loadSignMnist as loadFile } from './node/load-sign-mnist.js';
import { SIGN_MNIST_LABELS, type SignMnistData, type SignMnistOptions } from './sign-mnist.js';
import { parseSignMnist } from './sign-mnist-csv.js';

// Seeded fuzzing of the Sign-MNIST CSV readers: every mutant of a valid CSV (raw or gzipped)
// either parses to consistent images and labels or throws a DatasetError; nothing else, no hang.

const CASES = 400;
const SPECIALS = Array.from('0925,\n\r x-"', (c) => c.charCodeAt(0));
const HEADER = signCsv([]).length;

function valid(random: Random): { bytes: Uint8Array; options: SignMnistOptions } {
  const labels = Array.from(
    { length: 1 + below(random, 4) },
    () => SIGN_MNIST_LABELS[below(random, 24)],
  );
  const eol = random() < 0.2 ? '\r\n' : '\n';
  const text = signCsv(labels, { eol, trailingNewline: random() < 0.8 });
  const options: SignMnistOptions = {};
  if (random() < 0.3) options.classes = ['A', 'B', 'V'];
  if (random() < 0.2) options.maxBytes = 1 + below(random, text.length * 2);
  return { bytes: new TextEncoder().encode(text), options };
}

/** Parses or throws a DatasetError; checks a parse is consistent with its own class list. */
async function outcome(parse: () => SignMnistData | Promise<SignMnistData>): Promise<string> {
  let data: SignMnistData;
  try {
    data = await parse();
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(DatasetError);
    expect((error as Error).message).not.toContain('\n');
    return 'error';
  }
  const n = data.labels.length;
  expect(data.images.shape).toEqual([n, 28, 28]);
  expect(data.images.data.length).toBe(n * 784);
  expect(data.labels.every((l) => l < data.classNames.length)).toBe(true);
  return 'ok';
}

describe('fuzzing the Sign-MNIST CSV readers', () => {
  it(`parseSignMnist on ${CASES} mutated files`, async () => {
    const random = seededRandom(24);
    const seen = new Map<string, number>();
    for (let i = 0; i < CASES; i++) {
      const { bytes, options } = valid(random);
      const mutant = mutate(bytes, random, HEADER, SPECIALS);
      const result = await outcome(() => parseSignMnist(mutant.bytes, options));
      seen.set(result, (seen.get(result) ?? 0) + 1);
    }
    expect(seen.get('ok')).toBeGreaterThan(0);
    expect(seen.get('error')).toBeGreaterThan(CASES / 4);
  });

  it(`the gzip path (bytes in memory) on ${CASES} mutants`, async () => {
    const random = seededRandom(1024);
    for (let i = 0; i < CASES; i++) {
      const { bytes, options } = valid(random);
      const gz =
        random() < 0.5
          ? new Uint8Array(gzipSync(mutate(bytes, random, HEADER, SPECIALS).bytes))
          : mutate(new Uint8Array(gzipSync(bytes)), random, 0).bytes;
      await outcome(() => loadBytes(gz, options));
    }
  });

  it('the Node file reader (zlib) on 100 raw and 100 gzipped mutants', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnnlab-fuzz-csv-'));
    const random = seededRandom(2024);
    for (let i = 0; i < 200; i++) {
      const { bytes, options } = valid(random);
      const mutant = mutate(bytes, random, HEADER, SPECIALS).bytes;
      const path = join(dir, `case-${i}.csv`);
      writeFileSync(path, i % 2 === 0 ? mutant : gzipSync(mutant));
      await outcome(() => loadFile(path, options));
    }
  });
});
