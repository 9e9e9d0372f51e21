import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convolve2d, correlate2d } from '../src/convolve2d.js';
import { toNested } from './reference.js';

interface Case {
  fn: 'convolve2d' | 'correlate2d';
  mode: 'full' | 'same' | 'valid';
  boundary: 'fill' | 'wrap' | 'symm';
  fillValue: number;
  image: number[][];
  kernel: number[][];
  expected: number[][];
}

// Outputs of scipy.signal itself (see make-scipy-fixtures.py), integers, so equality is exact.
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/scipy-cases.json', import.meta.url), 'utf8'),
) as {
  scipy: string;
  cases: Case[];
};

describe(`matches scipy ${fixture.scipy} exactly`, () => {
  it.each(
    fixture.cases.map(
      (c) =>
        [
          `${c.fn} ${c.mode} ${c.boundary} ${c.image.length}×${c.image[0].length} by ${c.kernel.length}×${c.kernel[0].length}`,
          c,
        ] as const,
    ),
  )('%s', (_name, c) => {
    const call = c.fn === 'convolve2d' ? convolve2d : correlate2d;
    const out = call(c.image, c.kernel, {
      mode: c.mode,
      boundary: c.boundary,
      fillValue: c.fillValue,
    });
    expect(toNested(out)).toEqual(c.expected);
  });
});
