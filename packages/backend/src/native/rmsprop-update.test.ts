import { RMSPROP_UPDATE } from '@cnnlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { seededValues, useBackend } from '../../test/native-helpers.js';

const SIZE = 70_000; // above the threaded-loop threshold, so the chunked path is exercised

/** Three RMSprop steps of one variable with seeded gradients: its values after each step. */
function steps(update: (w: tf.Variable, g: tf.Tensor) => void): Float32Array[] {
  const w = tf.variable(tf.tensor1d(seededValues(SIZE, 1, -1, 1)));
  const out: Float32Array[] = [];
  for (let step = 0; step < 3; step++) {
    const g = tf.tensor1d(seededValues(SIZE, 10 + step, -2, 2));
    update(w, g);
    g.dispose();
    out.push(w.dataSync() as Float32Array);
  }
  w.dispose();
  return out;
}

describe('CnnlabRMSPropUpdate', () => {
  it("gives tfjs's RMSPropOptimizer on the cpu backend bit for bit", async () => {
    for (const momentum of [0, 0.9]) {
      await useBackend('cpu');
      expect(tf.getKernel(RMSPROP_UPDATE, 'cpu')).toBeUndefined();
      const optimizer = tf.train.rmsprop(0.01, 0.9, momentum, 1e-7);
      const expected = steps((w, g) => optimizer.applyGradients({ [w.name]: g }));
      optimizer.dispose();

      await useBackend('cnnlab-native');
      let ms: tf.Tensor = tf.zeros([SIZE]);
      let mom: tf.Tensor = tf.zeros([SIZE]);
      const actual = steps((w, g) => {
        const [next, nextMs, nextMom] = tf
          .engine()
          .runKernel(
            RMSPROP_UPDATE,
            { variable: w, gradient: g, meanSquare: ms, moment: mom },
            { learningRate: 0.01, decay: 0.9, momentum, epsilon: 1e-7 },
          ) as tf.Tensor[];
        w.assign(next as tf.Tensor);
        tf.dispose([next, ms, mom]);
        ms = nextMs as tf.Tensor;
        mom = nextMom as tf.Tensor;
      });
      tf.dispose([ms, mom]);
      for (let step = 0; step < 3; step++) {
        const e = expected[step] as Float32Array;
        const a = actual[step] as Float32Array;
        let differing = 0;
        for (let i = 0; i < SIZE; i++) if (!Object.is(e[i], a[i])) differing++;
        expect(differing).toBe(0);
      }
      // Not a no-op: the weights moved.
      expect(actual[2]?.[0]).not.toBe(seededValues(SIZE, 1, -1, 1)[0]);
    }
  });

  it('names what it expects when given other dtypes or shapes', async () => {
    await useBackend('cnnlab-native');
    const f = tf.zeros([4]);
    const wrong = tf.zeros([5]);
    expect(() =>
      tf
        .engine()
        .runKernel(
          RMSPROP_UPDATE,
          { variable: f, gradient: wrong, meanSquare: f, moment: f },
          { learningRate: 0.1, decay: 0.9, momentum: 0, epsilon: 1e-7 },
        ),
    ).toThrow(/expected float32 variable, gradient, meanSquare and moment of one shape/);
    tf.dispose([f, wrong]);
  });
});
