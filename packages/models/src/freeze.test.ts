import { describe, expect, it } from 'vitest';
import { cnnMnist } from './cnn-mnist.js';
import { ModelError } from './errors.js';
import { freeze, unfreeze } from './freeze.js';
import { countParams } from './summary.js';
import { vgg16 } from './vgg16.js';

const BLOCK4 = 1_180_160 + 2 * 2_359_808;
const BLOCK5 = 3 * 2_359_808;

describe('freeze and unfreeze', () => {
  const base = vgg16({ includeTop: false, inputShape: [32, 32, 3] });

  it('freezes a whole base: every parameter becomes non-trainable', () => {
    freeze(base);
    expect(base.layers.every((l) => !l.trainable)).toBe(true);
    expect(base.trainableWeights).toHaveLength(0);
    expect(countParams(base)).toEqual({
      total: 14_714_688,
      trainable: 0,
      nonTrainable: 14_714_688,
    });
    unfreeze(base);
    expect(countParams(base)).toEqual({
      total: 14_714_688,
      trainable: 14_714_688,
      nonTrainable: 0,
    });
  });

  it('freezes the layers before upTo, a name or an index, like model.layers[:upTo]', () => {
    freeze(base, { upTo: 'block5_conv1' });
    expect(base.getLayer('block4_conv3').trainable).toBe(false);
    expect(base.getLayer('block5_conv1').trainable).toBe(true);
    expect(countParams(base).trainable).toBe(BLOCK5);
    expect(countParams(base).nonTrainable).toBe(14_714_688 - BLOCK5);
    unfreeze(base);

    const cnn = cnnMnist();
    freeze(cnn, { upTo: 2 });
    expect(countParams(cnn).trainable).toBe(93_322 - 320);
    freeze(cnn, { upTo: -2 });
    expect(countParams(cnn).trainable).toBe(36_928 + 650);
    cnn.dispose();
  });

  it('unfreezes from a layer on, for fine-tuning the last blocks', () => {
    freeze(base);
    unfreeze(base, { from: 'block4_conv1' });
    expect(countParams(base).trainable).toBe(BLOCK4 + BLOCK5);
    expect(base.getLayer('block3_pool').trainable).toBe(false);
    unfreeze(base);
  });

  it('names the layer it cannot find', () => {
    expect(() => freeze(base, { upTo: 'block6_conv1' })).toThrow(ModelError);
    expect(() => freeze(base, { upTo: 'block6_conv1' })).toThrow(
      /upTo: model "vgg16" has no layer named "block6_conv1"; its layers: input_1, block1_conv1,/,
    );
    expect(() => unfreeze(base, { from: 40 })).toThrow(/from is 40; model "vgg16" has 19 layers/);
    expect(() => freeze(base, { upTo: 1.5 })).toThrow(ModelError);
    // Nothing changed by the failed calls.
    expect(countParams(base).trainable).toBe(14_714_688);
  });
});
