import { initBackend } from '@cnnlab/backend';
import { cnnMnist, denseMnist } from '@cnnlab/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { mnist } from '../test/mnist.js';
import { activations } from './activations.js';

// The fastest backend here, as train would pick it: these tests build models before any train.
await initBackend();

const digits = { data: mnist.test.images.data.subarray(0, 2 * 784), shape: [2, 28, 28] };

/** Conv2D 'valid', stride 1, then bias and relu, with plain loops: the reference. */
function conv2dRelu(
  input: Float32Array,
  [h, w, c]: number[],
  kernel: Float32Array,
  [kh, kw, , f]: number[],
  bias: Float32Array,
): Float32Array {
  const oh = h - kh + 1;
  const ow = w - kw + 1;
  const out = new Float32Array(oh * ow * f);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      for (let o = 0; o < f; o++) {
        let sum = bias[o];
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            for (let k = 0; k < c; k++) {
              sum += input[((y + i) * w + x + j) * c + k] * kernel[((i * kw + j) * c + k) * f + o];
            }
          }
        }
        out[(y * ow + x) * f + o] = Math.max(0, sum);
      }
    }
  }
  return out;
}

describe('activations', () => {
  it("returns each conv and pooling layer's output, the first equal to the convolution by hand", async () => {
    const model = cnnMnist({ seed: 3 });
    const before = tf.memory().numTensors;
    const result = await activations(model, digits);
    expect(tf.memory().numTensors).toBe(before);
    expect(result.map((r) => r.className)).toEqual([
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
    ]);
    expect(result.map((r) => r.activation.shape)).toEqual([
      [2, 26, 26, 32],
      [2, 13, 13, 32],
      [2, 11, 11, 64],
      [2, 5, 5, 64],
      [2, 3, 3, 64],
    ]);
    expect(result[0].layer).toBe(model.layers[0].name);
    const [kernel, bias] = model.layers[0].getWeights();
    const second = Float32Array.from(digits.data.subarray(784), (v) => v / 255);
    const expected = conv2dRelu(
      second,
      [28, 28, 1],
      kernel.dataSync() as Float32Array,
      kernel.shape,
      bias.dataSync() as Float32Array,
    );
    const got = result[0].activation.data.subarray(26 * 26 * 32);
    let worst = 0;
    for (let i = 0; i < expected.length; i++)
      worst = Math.max(worst, Math.abs(got[i] - expected[i]));
    expect(worst).toBeLessThan(1e-5);
    // The first pooling is the 2×2 max of the first map.
    const pooled = result[1].activation.data;
    const map = result[0].activation.data;
    const at = (y: number, x: number, o: number) => map[(y * 26 + x) * 32 + o];
    expect(pooled[(4 * 13 + 7) * 32 + 5]).toBe(
      Math.max(at(8, 14, 5), at(8, 15, 5), at(9, 14, 5), at(9, 15, 5)),
    );
  });

  it('takes layers by name or index, in the order given, and bytes as floats / 255', async () => {
    const model = cnnMnist({ seed: 4 });
    const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.name);
    const byName = await activations(model, digits, [convs[2], convs[0]]);
    expect(byName.map((r) => r.layer)).toEqual([convs[2], convs[0]]);
    const floats = { data: Float32Array.from(digits.data, (v) => v / 255), shape: [2, 28, 28, 1] };
    const byIndex = await activations(model, floats, [0]);
    expect(byIndex[0].layer).toBe(convs[0]);
    expect(Array.from(byIndex[0].activation.data)).toEqual(Array.from(byName[1].activation.data));
  });

  it('names what is wrong: a model without convolutions, an unknown layer, a wrong size', async () => {
    await expect(activations(denseMnist(), digits)).rejects.toThrow(/no Conv2D or pooling layer/);
    await expect(activations(cnnMnist(), digits, ['nope'])).rejects.toThrow(
      /no layer named "nope"/,
    );
    await expect(
      activations(cnnMnist(), { data: new Uint8Array(2 * 100), shape: [2, 10, 10] }),
    ).rejects.toThrow(/expected n samples of the model's input \[28, 28, 1\]/);
  });
});
