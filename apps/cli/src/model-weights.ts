import { checkFiniteWeights, TrainError } from '@cnnlab/trainer';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { CliError } from './errors.js';

/**
 * Refuses a model whose weights hold NaN or an infinity (saved from a run that diverged, or a
 * corrupt file): scoring it would print "0 (NaN%)" and exit 0, predicting it would make up classes.
 */
export async function requireFiniteWeights(model: LayersModel, what: string): Promise<void> {
  try {
    await checkFiniteWeights(model, what);
  } catch (error) {
    if (error instanceof TrainError) throw new CliError(error.message, { cause: error });
    throw error;
  }
}
