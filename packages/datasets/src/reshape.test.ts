import { describe, expect, it } from 'vitest';
import { normalize } from './normalize.js';
import { flatten, reshape, withChannels } from './reshape.js';

const images = { data: Uint8Array.from({ length: 3 * 4 * 4 }, (_, i) => i), shape: [3, 4, 4] };

describe('reshape, flatten, withChannels', () => {
  it('flattens [n, h, w] to [n, h·w] sharing the data', () => {
    const flat = flatten(images);
    expect(flat.shape).toEqual([3, 16]);
    expect(flat.data).toBe(images.data);
  });

  it('flattens an empty batch to [0, h·w], not [0, 0]', () => {
    expect(flatten({ data: new Uint8Array(0), shape: [0, 28, 28] }).shape).toEqual([0, 784]);
    expect(flatten({ data: new Float32Array(0), shape: [0, 2, 2, 3] }).shape).toEqual([0, 12]);
  });

  it('adds the channel axis a Conv2D input needs, and folds flat square images back', () => {
    expect(withChannels(images).shape).toEqual([3, 4, 4, 1]);
    expect(withChannels(flatten(images)).shape).toEqual([3, 4, 4, 1]);
    const rgb = { data: new Uint8Array(2 * 2 * 2 * 3), shape: [2, 2, 2, 3] };
    expect(withChannels(rgb)).toBe(rgb);
    expect(() => withChannels({ data: new Uint8Array(10), shape: [2, 5] })).toThrow(/square flat/);
  });

  it('infers one -1 dimension and refuses impossible shapes', () => {
    expect(reshape(images, [-1, 8]).shape).toEqual([6, 8]);
    expect(() => reshape(images, [5, -1])).toThrow(/cannot view 48 elements .* as \[5, -1\]/);
    expect(() => reshape(images, [-1, -1])).toThrow(/at most one -1/);
  });
});

describe('normalize', () => {
  it("is the workshop's astype('float32') / 255", () => {
    const out = normalize({ data: new Uint8Array([0, 51, 255]), shape: [3] });
    expect(out.data).toBeInstanceOf(Float32Array);
    expect(Array.from(out.data)).toEqual([0, Math.fround(51 / 255), 1]);
    expect(out.shape).toEqual([3]);
  });

  it('takes another scale and checks it', () => {
    expect(
      Array.from(normalize({ data: new Uint8Array([10]), shape: [1] }, { scale: 10 }).data),
    ).toEqual([1]);
    expect(() => normalize(images, { scale: 0 })).toThrow(/scale must be a positive number/);
  });
});
