// The embedded digits, loaded once per test file: 8,000 training and 2,000 test images.
import { loadMnist, seededRandom } from '@cnnlab/datasets';

export const mnist = await loadMnist();

/**
 * Builds a model with reproducible initial weights: tfjs seeds each unseeded initializer from
 * Math.random, so a seeded Math.random while building fixes them.
 */
export function seeded<T>(seed: number, build: () => T): T {
  const random = Math.random;
  Math.random = seededRandom(seed);
  try {
    return build();
  } finally {
    Math.random = random;
  }
}
