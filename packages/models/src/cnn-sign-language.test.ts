import { describe, expect, it } from 'vitest';
import { cnnSignLanguage } from './cnn-sign-language.js';
import { ModelError } from './errors.js';
import { countParams } from './summary.js';

// The shared convolutional stack: 320 + 18,496 + 36,928; then Dense 128 on 576 features.
const CONV = 55_744;
const HIDDEN = 576 * 128 + 128;

describe('cnnSignLanguage', () => {
  it('classifies all 24 static letters by default', () => {
    const model = cnnSignLanguage();
    expect(model.layers.map((l) => l.name)).toEqual([
      'conv2d',
      'max_pooling2d',
      'conv2d_1',
      'max_pooling2d_1',
      'conv2d_2',
      'flatten',
      'dense',
      'dropout',
      'dense_1',
    ]);
    expect(model.outputs[0].shape).toEqual([null, 24]);
    expect(countParams(model).total).toBe(CONV + HIDDEN + 128 * 24 + 24);
    expect(countParams(model).total).toBe(132_696);
    model.dispose();
  });

  it('classifies rock, paper and scissors with classes: 3', () => {
    const model = cnnSignLanguage({ classes: 3 });
    expect(model.outputs[0].shape).toEqual([null, 3]);
    expect(countParams(model).total).toBe(129_987);
    model.dispose();
  });

  it('rejects a single class', () => {
    expect(() => cnnSignLanguage({ classes: 1 })).toThrow(ModelError);
  });
});
