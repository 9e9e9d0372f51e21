import { conv2dParams, denseParams } from '@cnnlab/kernels';
import { describe, expect, it } from 'vitest';
import { ModelError } from './errors.js';
import { countParams, summary } from './summary.js';
import { vgg16 } from './vgg16.js';

const CONV_NAMES = [
  'block1_conv1',
  'block1_conv2',
  'block1_pool',
  'block2_conv1',
  'block2_conv2',
  'block2_pool',
  'block3_conv1',
  'block3_conv2',
  'block3_conv3',
  'block3_pool',
  'block4_conv1',
  'block4_conv2',
  'block4_conv3',
  'block4_pool',
  'block5_conv1',
  'block5_conv2',
  'block5_conv3',
  'block5_pool',
];

describe('vgg16', () => {
  it("without the top at 150×150×3, the workshop's base: 14,714,688 parameters", () => {
    const base = vgg16({ includeTop: false, inputShape: [150, 150, 3] });
    expect(base.name).toBe('vgg16');
    expect(base.layers.map((l) => l.name)).toEqual(['input_1', ...CONV_NAMES]);
    expect(base.outputs[0].shape).toEqual([null, 4, 4, 512]);
    expect(countParams(base)).toEqual({
      total: 14_714_688,
      trainable: 14_714_688,
      nonTrainable: 0,
    });
    // Keras's per-layer counts, by the kernels package's arithmetic.
    expect(base.getLayer('block1_conv1').countParams()).toBe(
      conv2dParams({ kernelSize: 3, inChannels: 3, filters: 64 }),
    );
    expect(base.getLayer('block5_conv3').countParams()).toBe(
      conv2dParams({ kernelSize: 3, inChannels: 512, filters: 512 }),
    );
    const text = summary(base);
    expect(text).toContain('input_1 (InputLayer)         (None, 150, 150, 3)       0');
    expect(text).toContain('block1_conv1 (Conv2D)        (None, 150, 150, 64)      1792');
    expect(text).toContain('block5_pool (MaxPooling2D)   (None, 4, 4, 512)         0');
    expect(text).toContain(
      'Total params: 14,714,688\nTrainable params: 14,714,688\nNon-trainable params: 0',
    );
    base.dispose();
  });

  it('with the top at 224×224×3: 138,357,544 parameters', () => {
    // About 550 MB of weights: counted, then freed at once.
    const full = vgg16({ includeTop: true, inputShape: [224, 224, 3] });
    try {
      expect(full.layers.slice(-4).map((l) => [l.name, l.outputShape])).toEqual([
        ['flatten', [null, 25_088]],
        ['fc1', [null, 4096]],
        ['fc2', [null, 4096]],
        ['predictions', [null, 1000]],
      ]);
      expect(full.getLayer('fc1').countParams()).toBe(denseParams({ inputs: 25_088, units: 4096 }));
      expect(countParams(full).total).toBe(138_357_544);
    } finally {
      full.dispose();
    }
  });

  it('takes classes, global pooling and any input from 32×32 up', () => {
    const small = vgg16({ includeTop: true, inputShape: [32, 32, 3], classes: 10 });
    expect(small.outputs[0].shape).toEqual([null, 10]);
    // 14,714,688 + fc1 (512 → 4096) + fc2 (4096 → 4096) + predictions (4096 → 10)
    expect(countParams(small).total).toBe(14_714_688 + 2_101_248 + 16_781_312 + 40_970);
    small.dispose();

    const avg = vgg16({ includeTop: false, inputShape: [40, 64, 3], pooling: 'avg' });
    expect(avg.layers.at(-1)?.name).toBe('global_average_pooling2d');
    expect(avg.outputs[0].shape).toEqual([null, 512]);
    expect(avg.getLayer('block5_pool').outputShape).toEqual([null, 1, 2, 512]);
    avg.dispose();
    const max = vgg16({ includeTop: false, inputShape: [32, 32, 3], pooling: 'max' });
    expect(max.layers.at(-1)?.getClassName()).toBe('GlobalMaxPooling2D');
    max.dispose();
  });

  it('rejects inputs below 32×32 or without 3 channels, and fewer than 2 classes', () => {
    const bad: [object, RegExp][] = [
      [
        { inputShape: [31, 224, 3] },
        /inputShape is \[31, 224, 3\]; VGG16 expects \[h, w, 3\] with h and w at least 32/,
      ],
      [{ inputShape: [224, 224, 1] }, /inputShape is \[224, 224, 1\]; VGG16 expects \[h, w, 3\]/],
      [{ inputShape: [224, 224] }, /inputShape is \[224, 224\]; expected \[h, w, channels\]/],
      [{ classes: 1 }, /classes is 1; expected an integer ≥ 2/],
      [{ includeTop: false, pooling: 'sum' }, /pooling is "sum"; expected 'avg', 'max' or null/],
      [{ weights: 'imagenet' }, /never downloads/],
    ];
    for (const [options, message] of bad) {
      expect(() => vgg16(options)).toThrow(ModelError);
      expect(() => vgg16(options)).toThrow(message);
    }
  });
});
