import { ModelError } from './errors.js';

/**
 * mulberry32, the generator of @cnnlab/datasets' `seededRandom` (copied rather than depended on:
 * models does not depend on datasets). The same seed gives the same floats in [0, 1) in every
 * release, in Node and in browsers.
 */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs `build` with reproducible initial weights and returns what it returns. tfjs draws the seed
 * of every unseeded initializer (glorotUniform, …) from `Math.random` when a layer creates its
 * weights, so `withSeed` replaces `Math.random` with a seeded generator (mulberry32, as
 * `seededRandom` of @cnnlab/datasets) for the duration of the call and restores it in a `finally`,
 * even when `build` throws. The same seed gives bit-identical weights; `undefined` runs `build`
 * untouched. `seed` is any finite number, taken as an unsigned 32-bit integer (`seed >>> 0`).
 *
 * `build` must create its layers synchronously: weights made after it returns (in a promise's
 * continuation, say) see the real `Math.random` again.
 */
export function withSeed<T>(seed: number | undefined, build: () => T): T {
  if (seed === undefined) return build();
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new ModelError(
      `seed is ${typeof seed === 'number' ? String(seed) : (JSON.stringify(seed) ?? String(seed))}; expected a finite number`,
      { source: 'seed' },
    );
  }
  const random = Math.random;
  Math.random = mulberry32(seed);
  try {
    return build();
  } finally {
    Math.random = random;
  }
}
