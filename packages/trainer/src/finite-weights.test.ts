import { initBackend } from '@cnnlab/backend';
import { denseMnist } from '@cnnlab/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkFiniteWeights, findNonFiniteWeight } from './finite-weights.js';

beforeAll(async () => {
  await initBackend();
});

describe('checkFiniteWeights', () => {
  it('names the first weight that holds NaN or an infinity', async () => {
    const model = denseMnist();
    await checkFiniteWeights(model);
    const weights = model.getWeights();
    const kernel = weights[2] as tf.Tensor;
    const broken = tf.tidy(() =>
      tf.where(
        tf.less(tf.randomUniform(kernel.shape), 0.01),
        tf.fill(kernel.shape, Number.NaN),
        kernel,
      ),
    );
    model.setWeights([...weights.slice(0, 2), broken, ...weights.slice(3)]);
    broken.dispose();
    const found = await findNonFiniteWeight(model);
    expect(found?.name).toBe(model.weights[2]?.name);
    expect(found?.value).toBeNaN();
    expect(found?.count).toBeGreaterThan(0);
    await expect(checkFiniteWeights(model, 'models/cnn')).rejects.toThrow(
      new RegExp(
        `^models/cnn: weight ${model.weights[2]?.name} holds [\\d,]+ values? that (is|are) not finite \\(the first: NaN\\)`,
      ),
    );
  });
});
