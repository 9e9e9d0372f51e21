// Conv2D layers run as one FusedConv2D under the gradient tape: the same outputs, gradients and
// training steps as the unfused Conv2D + Add + Relu, on the cpu backend (value for value) and on
// the fastest one here (the native one: within float rounding, its filter gradient is one pass).
import { CONV2D_FILTER_BIAS_GRAD } from '@cnnlab/core';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { cnnMnist } from './cnn-mnist.js';
import { fuseConvForTraining } from './fused-conv-training.js';
import { FusedRMSPropOptimizer } from './rmsprop.js';

const fastest = tf.getBackend();
afterAll(async () => {
  await tf.setBackend(fastest);
});

/** The native backend's one-pass filter and bias gradient sums in its own order. */
const onePass = (backend: string) => tf.getKernel(CONV2D_FILTER_BIAS_GRAD, backend) !== undefined;

/**
 * Equal, value for value; or, where the filter and bias gradients come from the one-pass kernel
 * (other float rounding), within `relative` of the largest magnitude.
 */
function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, exact: boolean, what: string) {
  if (exact) {
    expect(got, what).toEqual(want);
    return;
  }
  expect(got.length, what).toBe(want.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i] ?? 0));
    worst = Math.max(worst, Math.abs((got[i] ?? 0) - (want[i] ?? 0)));
  }
  expect(worst, what).toBeLessThanOrEqual(1e-5 * scale + 1e-12);
}

/** A batch of seeded images and one-hot labels. */
function batch(n: number, shape: number[], classes: number, seed: number) {
  const xs = tf.randomUniform([n, ...shape], 0, 1, 'float32', seed);
  const ys = tf.oneHot(tf.randomUniform([n], 0, classes, 'int32', seed + 1), classes);
  return { xs, ys: tf.cast(ys, 'float32') };
}

function lossOf(model: tfl.LayersModel, xs: tf.Tensor, ys: tf.Tensor): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar;
}

/** The loss's gradient for every trainable weight, by its position in the model. */
function gradients(model: tfl.LayersModel, xs: tf.Tensor, ys: tf.Tensor): Float32Array[] {
  const before = tf.memory().numTensors;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads, value } = tf.variableGrads(() => lossOf(model, xs, ys), variables);
  const out = variables.map((v) => grads[v.name]?.dataSync() as Float32Array);
  tf.dispose([value, ...Object.values(grads)]);
  // No tensor left behind by the gradient, whichever inputs the tape asked for.
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

/** Which kernels one loss-and-gradient pass runs, by name. */
async function kernelsOf(model: tfl.LayersModel, xs: tf.Tensor, ys: tf.Tensor) {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const info = await tf.profile(() => {
    const { grads, value } = tf.variableGrads(() => lossOf(model, xs, ys), variables);
    tf.dispose([value, ...Object.values(grads)]);
  });
  return info.kernels.map((k) => k.name);
}

/** A small CNN of the layers to test: same padding, strides 2, linear, tanh, no bias. */
function mixed(seed: number): tfl.LayersModel {
  const init = (s: number) => tfl.initializers.glorotUniform({ seed: seed + s });
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [12, 11, 3],
        filters: 6,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
        biasInitializer: tfl.initializers.randomNormal({ seed: seed + 10 }),
      }),
      tfl.layers.conv2d({
        filters: 5,
        kernelSize: [3, 2],
        strides: 2,
        activation: 'linear',
        kernelInitializer: init(2),
        biasInitializer: tfl.initializers.randomNormal({ seed: seed + 20 }),
      }),
      tfl.layers.conv2d({
        filters: 4,
        kernelSize: 2,
        activation: 'tanh',
        kernelInitializer: init(3),
      }),
      tfl.layers.conv2d({
        filters: 4,
        kernelSize: 2,
        padding: 'same',
        activation: 'relu',
        useBias: false,
        kernelInitializer: init(4),
      }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 3, kernelInitializer: init(5) }),
    ],
  });
}

describe.each(['cpu', 'fastest'])('fuseConvForTraining on the %s backend', (which) => {
  it('gives the unfused layers’ outputs and gradients', async () => {
    await tf.setBackend(which === 'cpu' ? 'cpu' : fastest);
    const exact = !onePass(tf.getBackend());
    // The workshop CNN's three convolutions; of the mixed one, the relu and the linear one (not
    // tanh, not the one without a bias).
    const cases = [
      { make: () => cnnMnist({ seed: 3 }), shape: [28, 28, 1], classes: 10, fusable: 3 },
      { make: () => mixed(7), shape: [12, 11, 3], classes: 3, fusable: 2 },
    ];
    for (const { make, shape, classes, fusable } of cases) {
      const plain = make();
      const fast = make();
      const { xs, ys } = batch(6, shape, classes, 11);
      const expected = gradients(plain, xs, ys);
      expect(fuseConvForTraining(fast)).toBe(fusable);
      expect((fast.predict(xs) as tf.Tensor).dataSync()).toEqual(
        (plain.predict(xs) as tf.Tensor).dataSync(),
      );
      const got = gradients(fast, xs, ys);
      expect(got).toHaveLength(expected.length);
      for (const [i, g] of got.entries()) {
        expectSame(g, expected[i] ?? [], exact, `gradient ${i}`);
      }
      tf.dispose([xs, ys]);
      plain.dispose();
      fast.dispose();
    }
  });

  it('trains step by step to the same losses and weights', async () => {
    await tf.setBackend(which === 'cpu' ? 'cpu' : fastest);
    const exact = !onePass(tf.getBackend());
    // The cpu backend trains the small model (the workshop CNN takes it a minute).
    const cpu = which === 'cpu';
    const { xs, ys } = cpu ? batch(8, [12, 11, 3], 3, 5) : batch(16, [28, 28, 1], 10, 5);
    const run = async (fuse: boolean) => {
      const model = cpu ? mixed(9) : cnnMnist({ seed: 9 });
      if (fuse) fuseConvForTraining(model);
      model.compile({
        optimizer: new FusedRMSPropOptimizer(0.001),
        loss: 'categoricalCrossentropy',
      });
      const losses: number[] = [];
      for (let step = 0; step < 4; step++)
        losses.push((await model.trainOnBatch(xs, ys)) as number);
      const weights = model.getWeights().map((w) => w.dataSync());
      model.dispose();
      return { losses, weights };
    };
    const plain = await run(false);
    const fast = await run(true);
    expectSame(fast.losses, plain.losses, exact, 'losses');
    expect(plain.losses[3]).toBeLessThan(plain.losses[0] ?? 0);
    for (const [i, w] of fast.weights.entries()) {
      expectSame(w, plain.weights[i] ?? [], exact, `weight ${i}`);
    }
    tf.dispose([xs, ys]);
  });
});

describe('fuseConvForTraining', () => {
  it('runs one kernel a convolution, and no gradient for the input data', async () => {
    await tf.setBackend(fastest);
    const { xs, ys } = batch(4, [28, 28, 1], 10, 2);
    const plain = cnnMnist({ seed: 1 });
    const fast = cnnMnist({ seed: 1 });
    fuseConvForTraining(fast);
    const before = await kernelsOf(plain, xs, ys);
    const after = await kernelsOf(fast, xs, ys);
    const count = (names: string[], name: string) => names.filter((n) => n === name).length;
    expect(count(before, 'Conv2D')).toBe(3);
    expect(count(after, 'Conv2D')).toBe(0);
    expect(count(after, 'FusedConv2D')).toBe(3);
    // The three biases' Add and relus' Relu are gone; the dense layers keep theirs.
    expect(count(before, 'Add') - count(after, 'Add')).toBe(3);
    expect(count(before, 'Relu') - count(after, 'Relu')).toBe(3);
    if (onePass(fastest)) {
      // The filter and bias gradients in one kernel a layer: no Conv2DBackpropFilter, no Sum.
      expect(count(after, CONV2D_FILTER_BIAS_GRAD)).toBe(3);
      expect(count(after, 'Conv2DBackpropFilter')).toBe(0);
      expect(count(before, 'Sum') - count(after, 'Sum')).toBe(3);
    }
    // dx of the first convolution is not computed: its input is data.
    expect(count(after, 'Conv2DBackpropInput')).toBe(count(before, 'Conv2DBackpropInput'));
    expect(count(after, 'Conv2DBackpropInput')).toBe(2);
    expect(after.length).toBeLessThan(before.length);
    tf.dispose([xs, ys]);
    plain.dispose();
    fast.dispose();
  });

  it('fuses the convolutions of a model nested in another, with the same gradients', async () => {
    await tf.setBackend('cpu');
    const { xs, ys } = batch(3, [28, 28, 1], 10, 8);
    const wrap = () => tfl.sequential({ layers: [cnnMnist({ seed: 6 })] });
    const plain = wrap();
    const fast = wrap();
    expect(fuseConvForTraining(fast)).toBe(3);
    const expected = gradients(plain, xs, ys);
    for (const [i, g] of gradients(fast, xs, ys).entries()) {
      expect(g, `gradient ${i}`).toEqual(expected[i]);
    }
    tf.dispose([xs, ys]);
    plain.dispose();
    fast.dispose();
  });

  it('leaves frozen layers frozen and is idempotent', async () => {
    // On the fastest backend: its one-pass filter gradient is made before the tape asks.
    await tf.setBackend(fastest);
    const { xs, ys } = batch(5, [28, 28, 1], 10, 4);
    const plain = cnnMnist({ seed: 2 });
    const fast = cnnMnist({ seed: 2 });
    // The second convolution frozen: the tape still asks it for dx (the first one trains), not
    // for its kernel and bias.
    for (const model of [plain, fast]) {
      const second = model.layers[2];
      if (second) second.trainable = false;
    }
    expect(fuseConvForTraining(fast)).toBe(3);
    expect(fuseConvForTraining(fast)).toBe(3);
    const expected = gradients(plain, xs, ys);
    const got = gradients(fast, xs, ys);
    // The frozen convolution's kernel and bias are not among the trainable weights.
    expect(fast.trainableWeights.length).toBe(8);
    expect(got).toHaveLength(fast.trainableWeights.length);
    expect(fast.trainableWeights.length).toBe(plain.trainableWeights.length);
    for (const [i, g] of got.entries()) {
      expectSame(g, expected[i] ?? [], !onePass(fastest), `gradient ${i}`);
    }
    // Saved as before: the layers' config does not change.
    expect(JSON.stringify(fast.toJSON(undefined, false))).toBe(
      JSON.stringify(plain.toJSON(undefined, false)),
    );
    tf.dispose([xs, ys]);
    plain.dispose();
    fast.dispose();
  });
});
