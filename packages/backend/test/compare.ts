// Shared by the wasm and native kernel tests: seeded inputs and the error measure they use.
import { seededRandom } from '@cnnlab/datasets';

/** Uniform float32 values in [low, high), the same on every run for a seed. */
export function seededValues(size: number, seed: number, low = -1, high = 1): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = low + (high - low) * random();
  return out;
}

/** max |actual − expected| relative to max |expected| (Infinity when the lengths differ). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  }
  return scale === 0 ? worst : worst / scale;
}
