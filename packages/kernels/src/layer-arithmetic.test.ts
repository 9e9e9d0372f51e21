import { describe, expect, it } from 'vitest';
import { KernelError } from './errors.js';
import {
  conv2dParams,
  convOutputLength,
  convOutputShape,
  denseParams,
  poolOutputShape,
} from './layer-arithmetic.js';

describe('Keras layer arithmetic', () => {
  it("walks the workshop CNN: shapes and Keras's 93,322 parameters", () => {
    let shape = convOutputShape([null, 28, 28, 1], { kernelSize: 3, filters: 32 });
    expect(shape).toEqual([null, 26, 26, 32]);
    const params = [conv2dParams({ kernelSize: 3, inChannels: 1, filters: 32 })];
    shape = poolOutputShape(shape);
    expect(shape).toEqual([null, 13, 13, 32]);
    shape = convOutputShape(shape, { kernelSize: 3, filters: 64 });
    expect(shape).toEqual([null, 11, 11, 64]);
    params.push(conv2dParams({ kernelSize: 3, inChannels: 32, filters: 64 }));
    shape = poolOutputShape(shape);
    expect(shape).toEqual([null, 5, 5, 64]);
    shape = convOutputShape(shape, { kernelSize: 3, filters: 64 });
    expect(shape).toEqual([null, 3, 3, 64]);
    params.push(conv2dParams({ kernelSize: 3, inChannels: 64, filters: 64 }));
    params.push(
      denseParams({ inputs: 3 * 3 * 64, units: 64 }),
      denseParams({ inputs: 64, units: 10 }),
    );
    expect(params).toEqual([320, 18496, 36928, 36928, 650]);
    expect(params.reduce((a, b) => a + b, 0)).toBe(93322);
  });

  it("gives the dense network's 407,050 parameters", () => {
    expect(denseParams({ inputs: 784, units: 512 }) + denseParams({ inputs: 512, units: 10 })).toBe(
      407050,
    );
  });

  it("counts VGG16's 14,714,688 base parameters and 138,357,544 with the top", () => {
    const blocks = [
      [64, 2],
      [128, 2],
      [256, 3],
      [512, 3],
      [512, 3],
    ];
    let channels = 3;
    let base = 0;
    let shape: (number | null)[] = [224, 224, 3];
    let small: (number | null)[] = [150, 150, 3];
    for (const [filters, convs] of blocks) {
      for (let i = 0; i < convs; i++) {
        base += conv2dParams({ kernelSize: 3, inChannels: channels, filters });
        shape = convOutputShape(shape, { kernelSize: 3, filters, padding: 'same' });
        small = convOutputShape(small, { kernelSize: 3, filters, padding: 'same' });
        channels = filters;
      }
      shape = poolOutputShape(shape, { poolSize: 2, strides: 2 });
      small = poolOutputShape(small);
    }
    expect(base).toBe(14714688);
    expect(shape).toEqual([7, 7, 512]);
    expect(small).toEqual([4, 4, 512]);
    const top =
      denseParams({ inputs: 7 * 7 * 512, units: 4096 }) +
      denseParams({ inputs: 4096, units: 4096 }) +
      denseParams({ inputs: 4096, units: 1000 });
    expect(base + top).toBe(138357544);
  });

  it('handles strides, dilation and same padding like Keras', () => {
    expect(convOutputLength(28, 3, { stride: 2 })).toBe(13);
    expect(convOutputLength(28, 3, { padding: 'same', stride: 2 })).toBe(14);
    expect(convOutputLength(28, 3, { dilation: 3 })).toBe(22);
    expect(
      convOutputShape([32, 20, 3], { kernelSize: [5, 3], filters: 8, strides: [2, 1] }),
    ).toEqual([14, 18, 8]);
    expect(poolOutputShape([7, 7, 4], { poolSize: 3, strides: 2 })).toEqual([3, 3, 4]);
    expect(poolOutputShape([7, 7, 4], { poolSize: 2, padding: 'same' })).toEqual([4, 4, 4]);
    expect(conv2dParams({ kernelSize: [3, 5], inChannels: 2, filters: 4, useBias: false })).toBe(
      120,
    );
    expect(denseParams({ inputs: 10, units: 3, useBias: false })).toBe(30);
  });

  it('rejects what Keras rejects', () => {
    expect(() =>
      convOutputShape([28, 28, 1], { kernelSize: 3, filters: 8, strides: 2, dilation: 2 }),
    ).toThrow(KernelError);
    expect(() => convOutputShape([2, 2, 1], { kernelSize: 3, filters: 8 })).toThrow(
      /too small for a kernel spanning 3/,
    );
    expect(() => convOutputShape([28, 28], { kernelSize: 3, filters: 8 })).toThrow(
      /expected \[h, w, channels\]/,
    );
    expect(() => poolOutputShape([28, 28, 1], { strides: 0 })).toThrow(/strides is 0/);
    expect(() =>
      convOutputShape([28, 28, 1], { kernelSize: 3, filters: 8, padding: 'causal' as 'same' }),
    ).toThrow(/padding is "causal"/);
  });
});
