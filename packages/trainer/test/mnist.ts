// The embedded digits, loaded once per test file: 8,000 training and 2,000 test images.
import { loadMnist } from '@cnnlab/datasets';
import { withSeed } from '@cnnlab/models';

export const mnist = await loadMnist();

/**
 * Builds a model with reproducible initial weights: @cnnlab/models' withSeed, under the name the
 * tests have always used.
 */
export const seeded: <T>(seed: number, build: () => T) => T = withSeed;
