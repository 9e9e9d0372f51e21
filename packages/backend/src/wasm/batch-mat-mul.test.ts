import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  relativeError,
  seededValues,
  sizeOf,
  useBackend,
  wasmBackend,
} from '../../test/wasm-helpers.js';

interface MatMulCase {
  name: string;
  batchA: number[];
  batchB: number[];
  m: number;
  k: number;
  n: number;
}

const cases: MatMulCase[] = [
  { name: 'rank 2', batchA: [], batchB: [], m: 7, k: 9, n: 5 },
  { name: 'dense layer sizes', batchA: [], batchB: [], m: 16, k: 40, n: 24 },
  { name: 'rank 3, batch 3', batchA: [3], batchB: [3], m: 6, k: 11, n: 4 },
  { name: 'rank 3, broadcast batch', batchA: [1], batchB: [4], m: 5, k: 3, n: 8 },
  { name: 'rank 4', batchA: [2, 3], batchB: [2, 3], m: 4, k: 5, n: 6 },
];

/** The operands as stored for the given flags: a transposed operand is stored transposed. */
function storedShapes(c: MatMulCase, transposeA: boolean, transposeB: boolean) {
  return {
    a: [...c.batchA, ...(transposeA ? [c.k, c.m] : [c.m, c.k])],
    b: [...c.batchB, ...(transposeB ? [c.n, c.k] : [c.k, c.n])],
  };
}

async function matMulOn(
  backend: 'cpu' | 'wasm',
  c: MatMulCase,
  transposeA: boolean,
  transposeB: boolean,
) {
  await useBackend(backend);
  const shapes = storedShapes(c, transposeA, transposeB);
  return tf.tidy(() => {
    const a = tf.tensor(seededValues(sizeOf(shapes.a), 31), shapes.a);
    const b = tf.tensor(seededValues(sizeOf(shapes.b), 32), shapes.b);
    const out = tf.engine().runKernel('BatchMatMul', { a, b }, { transposeA, transposeB });
    return { values: (out as tf.Tensor).dataSync(), shape: (out as tf.Tensor).shape };
  });
}

describe('wasm BatchMatMul against the cpu backend', () => {
  for (const c of cases) {
    for (const [transposeA, transposeB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]) {
      it(`${c.name}, transposeA ${transposeA}, transposeB ${transposeB}`, async () => {
        const expected = await matMulOn('cpu', c, transposeA, transposeB);
        const backend = await wasmBackend();
        const ids = backend.numDataIds();
        const actual = await matMulOn('wasm', c, transposeA, transposeB);
        expect(actual.shape).toEqual(expected.shape);
        expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-4);
        expect(backend.numDataIds()).toBe(ids);
      });
    }
  }

  it('dense layer shapes: xᵀ·dy and dy·Wᵀ', async () => {
    const x = seededValues(16 * 40, 41);
    const dy = seededValues(16 * 24, 42);
    const w = seededValues(40 * 24, 43);
    const run = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      return tf.tidy(() => {
        const xt = tf.tensor2d(x, [16, 40]);
        const dyt = tf.tensor2d(dy, [16, 24]);
        const wt = tf.tensor2d(w, [40, 24]);
        return [
          tf.matMul(xt, dyt, true, false).dataSync(),
          tf.matMul(dyt, wt, false, true).dataSync(),
        ];
      });
    };
    const expected = await run('cpu');
    const actual = await run('wasm');
    expect(relativeError(actual[0], expected[0])).toBeLessThan(1e-4);
    expect(relativeError(actual[1], expected[1])).toBeLessThan(1e-4);
  });
});
