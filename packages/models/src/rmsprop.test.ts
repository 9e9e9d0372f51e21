import { RMSPROP_UPDATE } from '@cnnlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { cnnMnist } from './cnn-mnist.js';
import { FusedRMSPropOptimizer } from './rmsprop.js';

/** Seeded values in [-1, 1), from a fixed linear congruential sequence. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** Applies `steps` updates with fixed gradients and returns the variable after each one. */
function run(optimizer: tf.Optimizer, steps: number): Float32Array[] {
  const w = tf.variable(tf.tensor(values(1000, 1), [10, 100]), true, `w${Math.random()}`);
  const after: Float32Array[] = [];
  for (let step = 0; step < steps; step++) {
    const g = tf.tensor(values(1000, 100 + step), [10, 100]);
    optimizer.applyGradients({ [w.name]: g });
    g.dispose();
    after.push(w.dataSync() as Float32Array);
  }
  w.dispose();
  return after;
}

describe('FusedRMSPropOptimizer', () => {
  it('runs one kernel a variable on the native backend', () => {
    // The setup file picked the native backend; the kernel is registered there.
    expect(tf.getKernel(RMSPROP_UPDATE, tf.getBackend())).toBeDefined();
    const optimizer = new FusedRMSPropOptimizer(0.001, 0.9, 0, 1e-7);
    run(optimizer, 1); // creates the slots
    const w = Object.values(tf.engine().registeredVariables).at(-1) as tf.Variable;
    const before = tf.memory().numTensors;
    const names: string[] = [];
    const profile = tf.profile(() => {
      const g = tf.onesLike(w);
      optimizer.applyGradients({ [w.name]: g });
      g.dispose();
    });
    return profile.then((info) => {
      for (const k of info.kernels) names.push(k.name);
      expect(names.filter((n) => n === RMSPROP_UPDATE)).toHaveLength(1);
      expect(names.filter((n) => n !== 'OnesLike')).toEqual([RMSPROP_UPDATE]);
      expect(tf.memory().numTensors).toBe(before);
    });
  });

  it("gives tfjs's rmsprop bit for bit, fused and with ops, momentum or not", () => {
    for (const momentum of [0, 0.5]) {
      const reference = run(tf.train.rmsprop(0.01, 0.9, momentum, 1e-7), 4);
      const fused = run(new FusedRMSPropOptimizer(0.01, 0.9, momentum, 1e-7), 4);
      // The ops path: the same optimizer on a backend without the kernel (tfjs's cpu).
      const current = tf.getBackend();
      tf.setBackend('cpu');
      const ops = run(new FusedRMSPropOptimizer(0.01, 0.9, momentum, 1e-7), 4);
      const onCpu = run(tf.train.rmsprop(0.01, 0.9, momentum, 1e-7), 4);
      tf.setBackend(current);
      for (let step = 0; step < 4; step++) {
        expect(Array.from(fused[step] ?? [])).toEqual(Array.from(reference[step] ?? []));
        expect(Array.from(ops[step] ?? [])).toEqual(Array.from(onCpu[step] ?? []));
      }
      // The updates move the weights: a step that did nothing would also be "equal".
      expect(fused[3]?.[0]).not.toBe(values(1000, 1)[0]);
    }
  });

  it('trains the workshop CNN to the losses tfjs rmsprop gives, and saves as tfjs does', async () => {
    const xs = tf.tensor(
      values(16 * 784, 7).map((v) => (v + 1) / 2),
      [16, 28, 28, 1],
    );
    const ys = tf.oneHot(tf.tensor1d(Int32Array.from({ length: 16 }, (_, i) => i % 10)), 10);
    const losses = async (optimizer: tf.Optimizer) => {
      const model = cnnMnist({ seed: 5 });
      model.compile({ optimizer, loss: 'categoricalCrossentropy' });
      const out: number[] = [];
      for (let i = 0; i < 3; i++) out.push((await model.trainOnBatch(xs, ys)) as number);
      const weights = await optimizer.getWeights();
      model.dispose();
      return { out, weights };
    };
    const theirs = await losses(tf.train.rmsprop(0.001, 0.9, 0, 1e-7));
    const ours = await losses(new FusedRMSPropOptimizer(0.001, 0.9, 0, 1e-7));
    expect(ours.out).toEqual(theirs.out);
    expect(ours.out[2]).toBeLessThan(ours.out[0] ?? 0);
    // tfjs's weight order: iterations, every mean square, then every moment.
    const kinds = (weights: typeof ours.weights) => weights.map((w) => w.name.split('/').at(-1));
    expect(kinds(ours.weights)).toEqual(kinds(theirs.weights));
    expect(kinds(ours.weights)).toEqual([
      'iter',
      ...new Array(10).fill('rms'),
      ...new Array(10).fill('momentum'),
    ]);
    const restored = new FusedRMSPropOptimizer(0.001);
    await restored.setWeights(ours.weights);
    expect(restored.iterations).toBe(3);
    expect((await restored.getWeights()).length).toBe(ours.weights.length);
    expect(new FusedRMSPropOptimizer(0.002).getConfig()).toEqual({
      learningRate: 0.002,
      decay: 0.9,
      momentum: 0,
      epsilon: 1e-7,
      centered: false,
    });
    expect(new FusedRMSPropOptimizer(0.1).getClassName()).toBe('RMSProp');
    tf.dispose([xs, ys]);
  });
});
