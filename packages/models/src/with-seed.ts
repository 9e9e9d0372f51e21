import { seededRandom } from '@cnnlab/core';
import { ModelError } from './errors.js';

/**
 * Runs `build` with reproducible initial weights and returns what it returns. tfjs draws the seed
 * of every unseeded initializer (glorotUniform, …) from `Math.random` when a layer creates its
 * weights, so `withSeed` replaces `Math.random` with a seeded generator (@cnnlab/core's
 * `seededRandom`) for the duration of the call and restores it in a `finally`,
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
  Math.random = seededRandom(seed);
  try {
    return build();
  } finally {
    Math.random = random;
  }
}
