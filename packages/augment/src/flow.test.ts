import { describe, expect, it } from 'vitest';
import { firstMismatch } from '../test/expect.js';
import { AugmentError } from './errors.js';
import { ImageDataGenerator } from './generator.js';

/** n images whose pixels all equal their index, so a batch tells which samples it holds. */
function indexed(n: number, h = 6, w = 6, c = 1) {
  const data = new Float32Array(n * h * w * c);
  for (let i = 0; i < n; i++) data.fill(i, i * h * w * c, (i + 1) * h * w * c);
  return { data, shape: [n, h, w, c] };
}

describe('flow', () => {
  it('yields every sample once per epoch, shuffled, labels kept with their images', () => {
    const x = indexed(50);
    const y = Uint8Array.from({ length: 50 }, (_, i) => i % 10);
    const flow = new ImageDataGenerator({ rotationRange: 20, fillMode: 'nearest' }).flow(x, y, {
      batchSize: 16,
      seed: 4,
    });
    expect(flow.length).toBe(4);
    const orders: number[][] = [];
    for (let epoch = 0; epoch < 2; epoch++) {
      const seen: number[] = [];
      const sizes: number[] = [];
      for (const batch of flow) {
        sizes.push(batch.xs.shape[0]);
        expect(batch.xs.shape.slice(1)).toEqual([6, 6, 1]);
        batch.indices.forEach((i, b) => {
          seen.push(i);
          // a rotation of a constant image with 'nearest' fill is the same constant
          expect(batch.xs.data[b * 36 + 17]).toBeCloseTo(i, 4);
          expect(batch.ys?.data[b]).toBe(i % 10);
        });
      }
      expect(sizes).toEqual([16, 16, 16, 2]);
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      orders.push(seen);
    }
    expect(orders[0]).not.toEqual(orders[1]);
    expect(orders[0]).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('keeps the order without shuffle, one-hot encodes with numClasses, takes [n, h, w] and RGB', async () => {
    const x = indexed(5, 4, 4, 3);
    const flow = new ImageDataGenerator().flow(x, [0, 1, 2, 1, 0], {
      batchSize: 2,
      shuffle: false,
      numClasses: 3,
    });
    const batches = [];
    for await (const batch of flow) batches.push(batch);
    expect(batches.map((b) => Array.from(b.indices))).toEqual([[0, 1], [2, 3], [4]]);
    expect(batches[0].ys?.shape).toEqual([2, 3]);
    expect(Array.from(batches[0].ys?.data ?? [])).toEqual([1, 0, 0, 0, 1, 0]);
    expect(batches[0].xs.shape).toEqual([2, 4, 4, 3]);
    const gray = new ImageDataGenerator().flow(
      { data: new Uint8Array(3 * 4 * 4), shape: [3, 4, 4] },
      undefined,
      { batchSize: 3 },
    );
    expect(gray.batch(0).xs.shape).toEqual([3, 4, 4, 1]);
  });

  it('is reproducible: the same seed gives the same batches, another seed others', () => {
    const x = indexed(20, 8, 8);
    for (let i = 0; i < x.data.length; i++) x.data[i] += (i * 7) % 5; // some texture
    const make = (seed: number) =>
      new ImageDataGenerator({
        rotationRange: 40,
        widthShiftRange: 0.2,
        heightShiftRange: 0.2,
      }).flow(x, undefined, { batchSize: 8, seed });
    expect(firstMismatch(make(1).batch(1).xs.data, make(1).batch(1).xs.data)).toBe(-1);
    expect(firstMismatch(make(1).batch(1).xs.data, make(2).batch(1).xs.data)).not.toBe(-1);
  });

  it('applies rescale and featurewise statistics to batches', () => {
    const x = indexed(10, 2, 2);
    const g = new ImageDataGenerator({ rescale: 0.5, featurewiseCenter: true }).fit(x);
    expect(g.mean?.[0]).toBeCloseTo(2.25, 6); // mean of 0..9, times 0.5
    const batch = g.flow(x, undefined, { batchSize: 10, shuffle: false }).batch(0);
    expect(batch.xs.data[0]).toBeCloseTo(-2.25, 6);
    expect(batch.xs.data[4 * 9]).toBeCloseTo(4.5 - 2.25, 6);
  });

  it('rejects mismatched x and y, bad batch sizes, featurewise without fit, bad ranks', () => {
    const x = indexed(4);
    const g = new ImageDataGenerator();
    expect(() => g.flow(x, [1, 2, 3])).toThrow(AugmentError);
    expect(() => g.flow(x, [1, 2, 3])).toThrow(/y holds 3 labels but x holds 4 images/);
    expect(() => g.flow(x, undefined, { batchSize: 0 })).toThrow(/batchSize is 0/);
    expect(() => new ImageDataGenerator({ featurewiseStdNormalization: true }).flow(x)).toThrow(
      /call fit\(x\) before flow/,
    );
    expect(() => g.flow({ data: new Float32Array(4), shape: [2, 2] })).toThrow(/rank 2/);
    expect(() => g.flow({ data: new Float32Array(4), shape: [1, 2, 3] })).toThrow(
      /6 values\) but its data holds 4/,
    );
    expect(() => g.flow(x, [0, 1, 2, 3], { numClasses: 3 })).toThrow(AugmentError);
    expect(() => g.flow(x, [0, 1, 2, 3], { numClasses: 3 })).toThrow(
      /labels\[3\] is 3; expected an integer in 0\.\.2/,
    );
    expect(() => g.flow(x, [0, 1, 2, 3], { numClasses: 0 })).toThrow(AugmentError);
  });

  it('declares its pixel scale from the data type and the generator, not from the values', () => {
    const bytes = { data: new Uint8Array(2 * 4 * 4), shape: [2, 4, 4, 1] };
    const floats = { data: new Float32Array(2 * 4 * 4).fill(200), shape: [2, 4, 4, 1] };
    expect(new ImageDataGenerator({ rotationRange: 10 }).flow(bytes).pixelScale).toBe(1 / 255);
    // Floats are taken as given, however large they are.
    expect(new ImageDataGenerator().flow(floats).pixelScale).toBe(1);
    expect(new ImageDataGenerator({ rescale: 1 / 255 }).flow(bytes).pixelScale).toBe(1);
    expect(new ImageDataGenerator({ samplewiseCenter: true }).flow(bytes).pixelScale).toBe(1);
    const fitted = new ImageDataGenerator({ featurewiseCenter: true }).fit(bytes);
    expect(fitted.keepsRange).toBe(false);
    expect(fitted.flow(bytes).pixelScale).toBe(1);
  });
});
