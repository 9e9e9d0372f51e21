import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it, vi } from 'vitest';
import { weightValues } from '../test/helpers.js';
import { cnnMnist } from './cnn-mnist.js';
import { cnnSignLanguage } from './cnn-sign-language.js';
import { denseMnist } from './dense-mnist.js';
import { ModelError } from './errors.js';
import { vgg16 } from './vgg16.js';
import { withHead } from './with-head.js';
import { withSeed } from './with-seed.js';

/** The weights of a model, as arrays, then disposed. */
function weightsOf(model: tfl.LayersModel, layers = model.layers): Map<string, Float32Array> {
  const values = weightValues(layers);
  model.dispose();
  return values;
}

/** Whether two weight maps hold the same keys and bit-identical values. */
function identical(a: Map<string, Float32Array>, b: Map<string, Float32Array>): boolean {
  if (a.size === 0 || a.size !== b.size) return false;
  for (const [key, values] of a) {
    const other = b.get(key);
    if (!other || other.length !== values.length) return false;
    const x = new Uint32Array(values.buffer, values.byteOffset, values.length);
    const y = new Uint32Array(other.buffer, other.byteOffset, other.length);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}

const builders: [string, (seed?: number) => tfl.LayersModel][] = [
  ['denseMnist', (seed) => denseMnist({ seed })],
  ['denseMnist with Flatten', (seed) => denseMnist({ inputShape: [28, 28], units: 32, seed })],
  ['cnnMnist', (seed) => cnnMnist({ seed })],
  ['cnnSignLanguage', (seed) => cnnSignLanguage({ classes: 3, seed })],
  ['vgg16 (weights: null)', (seed) => vgg16({ includeTop: false, inputShape: [32, 32, 3], seed })],
];

describe('the seed option of the builders', () => {
  it.each(builders)(
    '%s: the same seed gives bit-identical weights, another seed others',
    (_, build) => {
      const a = weightsOf(build(7));
      const b = weightsOf(build(7));
      const c = weightsOf(build(8));
      expect(identical(a, b)).toBe(true);
      expect(identical(a, c)).toBe(false);
      // Every kernel differs, not only one of them.
      for (const [key, values] of a) {
        if (key.endsWith('/0'))
          expect(
            identical(new Map([[key, values]]), new Map([[key, c.get(key) as Float32Array]])),
          ).toBe(false);
      }
    },
  );

  it.each(builders)('%s: no seed leaves Math.random in charge, as before', (_, build) => {
    const random = Math.random;
    const spy = vi.spyOn(Math, 'random');
    try {
      const a = weightsOf(build());
      expect(spy).toHaveBeenCalled();
      spy.mockClear();
      const b = weightsOf(build());
      expect(spy).toHaveBeenCalled();
      expect(identical(a, b)).toBe(false);
      // A seeded build does not draw from the global generator.
      spy.mockClear();
      weightsOf(build(1));
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    expect(Math.random).toBe(random);
  });

  it('withHead seeds the new head layers and leaves the base as it is', () => {
    const base = cnnMnist({ seed: 1 });
    const baseBefore = weightValues(base.layers);
    const heads = [3, 3, 4].map((seed) => {
      const model = withHead(base, { classes: 3, hidden: [16], seed });
      const head = model.layers.slice(-3);
      expect(head.map((l) => l.name)).toEqual(['dense_2', 'dropout', 'dense_3']);
      return weightValues(head);
    });
    expect(identical(heads[0], heads[1])).toBe(true);
    expect(identical(heads[0], heads[2])).toBe(false);
    expect(identical(weightValues(base.layers), baseBefore)).toBe(true);
    // Without a seed, two heads differ.
    const a = weightValues(withHead(base, { classes: 3, hidden: [16] }).layers.slice(-3));
    const b = weightValues(withHead(base, { classes: 3, hidden: [16] }).layers.slice(-3));
    expect(identical(a, b)).toBe(false);
    base.dispose();
  });
});

describe('withSeed', () => {
  it("replaces Math.random with @cnnlab/core's mulberry32 while building, then restores it", () => {
    const random = Math.random;
    const drawn = withSeed(42, () => [Math.random(), Math.random(), Math.random()]);
    // seededRandom(42) of @cnnlab/core: a seed means the same numbers in every release.
    expect(drawn).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    expect(Math.random).toBe(random);
    expect(withSeed(42, () => Math.random())).toBe(drawn[0]);
  });

  it('gives the same weights as the seed option', () => {
    expect(
      identical(weightsOf(withSeed(5, () => cnnMnist())), weightsOf(cnnMnist({ seed: 5 }))),
    ).toBe(true);
  });

  it('restores Math.random when build throws', () => {
    const random = Math.random;
    const failure = new Error('build failed');
    expect(() =>
      withSeed(3, () => {
        expect(Math.random).not.toBe(random);
        throw failure;
      }),
    ).toThrow(failure);
    expect(Math.random).toBe(random);
    // A builder that rejects its options after seeding restores it too.
    expect(() => cnnMnist({ inputShape: [10, 10, 1], seed: 3 })).toThrow(ModelError);
    expect(() => vgg16({ inputShape: [32, 32, 1], seed: 3 })).toThrow(ModelError);
    expect(Math.random).toBe(random);
  });

  it('restores the outer generator when nested', () => {
    const random = Math.random;
    const [outer, inner, after] = withSeed(1, () => {
      const seeded = Math.random;
      const inner = withSeed(2, () => Math.random());
      expect(Math.random).toBe(seeded);
      return [withSeed(1, () => Math.random()), inner, Math.random()];
    });
    expect(inner).toBe(withSeed(2, () => Math.random()));
    expect(after).toBe(outer);
    expect(Math.random).toBe(random);
  });

  it('with no seed calls build under the real Math.random', () => {
    const random = Math.random;
    expect(withSeed(undefined, () => Math.random)).toBe(random);
    expect(withSeed(undefined, () => 'built')).toBe('built');
  });

  it('rejects a seed that is not a finite number with a ModelError naming it', () => {
    const random = Math.random;
    for (const seed of [Number.NaN, Number.POSITIVE_INFINITY, '1' as unknown as number]) {
      let error: unknown;
      try {
        withSeed(seed, () => 0);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ModelError);
      expect((error as ModelError).source).toBe('seed');
      expect((error as ModelError).message).toMatch(/^seed is .*; expected a finite number$/);
    }
    expect(() => denseMnist({ seed: Number.NaN })).toThrow(/seed is NaN/);
    expect(Math.random).toBe(random);
  });
});
