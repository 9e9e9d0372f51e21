import { describe, expect, it } from 'vitest';
import { permutation, seededRandom } from './random.js';

describe('seededRandom', () => {
  it('gives the same numbers for a seed in every release (mulberry32)', () => {
    const random = seededRandom(42);
    expect([random(), random(), random()]).toEqual([
      0.6011037519201636, 0.44829055899754167, 0.8524657934904099,
    ]);
  });

  it('takes the seed as an unsigned 32-bit integer', () => {
    expect(seededRandom(-1)()).toBe(seededRandom(2 ** 32 - 1)());
    expect(seededRandom(2 ** 32 + 42)()).toBe(seededRandom(42)());
  });

  it('draws floats in [0, 1)', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 10_000; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});

describe('permutation', () => {
  it('is a reproducible permutation of 0..n-1', () => {
    expect(Array.from(permutation(10, 1))).toEqual([7, 8, 3, 2, 1, 5, 9, 4, 0, 6]);
    const p = permutation(1000, 3);
    expect(p).toBeInstanceOf(Uint32Array);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(permutation(1000, 3))).toEqual(Array.from(p));
    expect(Array.from(permutation(1000, 4))).not.toEqual(Array.from(p));
  });

  it('handles empty and single-element ranges', () => {
    expect(permutation(0, 1).length).toBe(0);
    expect(Array.from(permutation(1, 1))).toEqual([0]);
  });
});
