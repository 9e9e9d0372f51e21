import type * as tfl from '@tensorflow/tfjs-layers';
import { TrainError } from './errors.js';

/** The first weight of a model holding NaN or an infinity. */
export interface NonFiniteWeight {
  /** The weight's name, e.g. `dense_Dense1/kernel`. */
  name: string;
  /** How many of its values are not finite, and one of them. */
  count: number;
  value: number;
}

/**
 * Finds the first weight of `model` with a value that is NaN or infinite (a model saved from a
 * run that diverged, or a corrupt file), or undefined when every value is finite. The weights are
 * read back from the backend one tensor at a time, so any backend will do.
 */
export async function findNonFiniteWeight(
  model: tfl.LayersModel,
): Promise<NonFiniteWeight | undefined> {
  for (const weight of model.weights) {
    const values = await weight.read().data();
    let count = 0;
    let value = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!Number.isFinite(v)) {
        if (count === 0) value = v;
        count++;
      }
    }
    if (count > 0) return { name: weight.name, count, value };
  }
  return undefined;
}

/**
 * Throws a TrainError naming the first weight of `model` that is NaN or infinite: `evaluate` and
 * `predict` on such a model give NaN losses and arbitrary classes, which look like results.
 * `what` names the model in the message (a folder, say).
 */
export async function checkFiniteWeights(model: tfl.LayersModel, what = 'model'): Promise<void> {
  const bad = await findNonFiniteWeight(model);
  if (!bad) return;
  throw new TrainError(
    `${what}: weight ${bad.name} holds ${bad.count.toLocaleString('en-US')} value${bad.count === 1 ? '' : 's'} that ${bad.count === 1 ? 'is' : 'are'} not finite (the first: ${bad.value}); expected finite weights (a run whose loss became NaN, or a corrupt file)`,
    'model',
  );
}
