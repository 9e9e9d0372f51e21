import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { randomTensor, useBackend } from '../../test/native-helpers.js';
import type { NativeBackend } from './backend.js';
import { BufferPool } from './buffer-pool.js';

const big = BufferPool.minLength * 2;

describe('BufferPool', () => {
  it('hands a released array out again for the same length', () => {
    const pool = new BufferPool();
    const a = pool.take(big);
    pool.stored(a);
    pool.release(a);
    expect(pool.take(big)).toBe(a);
    expect(pool.take(big)).not.toBe(a);
  });

  it('never recycles an array stored under a second tensor, or a view of it', () => {
    const pool = new BufferPool();
    const a = pool.take(big);
    pool.stored(a);
    pool.stored(a.subarray(5, 10));
    pool.release(a);
    expect(pool.take(big)).not.toBe(a);
  });

  it('never recycles an array read out by the user', () => {
    const pool = new BufferPool();
    const a = pool.take(big);
    pool.stored(a);
    pool.escaped(a);
    pool.release(a);
    expect(pool.take(big)).not.toBe(a);
  });

  it('ignores arrays it did not allocate, small arrays, and a second release', () => {
    const pool = new BufferPool();
    const foreign = new Float32Array(big);
    pool.release(foreign);
    expect(pool.take(big)).not.toBe(foreign);
    const small = pool.take(8);
    pool.stored(small);
    pool.release(small);
    expect(pool.take(8)).not.toBe(small);
    const a = pool.take(big);
    pool.stored(a);
    pool.release(a);
    pool.release(a);
    expect(pool.take(big)).toBe(a);
    expect(pool.take(big)).not.toBe(a);
  });

  it('keeps no more than its byte budget', () => {
    const pool = new BufferPool(big * 4);
    const a = pool.take(big);
    const b = pool.take(big);
    pool.stored(a);
    pool.stored(b);
    pool.release(a);
    pool.release(b);
    expect(pool.take(big)).toBe(a);
    expect(pool.take(big)).not.toBe(b);
  });
});

describe('recycling in the native backend', () => {
  const shape = [4, 64, 64, 4];
  const valuesOf = (t: tf.Tensor) => (tf.backend() as NativeBackend).data.get(t.dataId)?.values;

  it('reuses the output array of a disposed tensor', async () => {
    await useBackend('cnnlab-native');
    const x = randomTensor(shape, 1);
    const first = tf.relu(x);
    const array = valuesOf(first);
    first.dispose();
    const second = tf.relu(x);
    expect(valuesOf(second)).toBe(array);
    tf.dispose([x, second]);
  });

  it('leaves arrays the user read untouched', async () => {
    await useBackend('cnnlab-native');
    const x = randomTensor(shape, 2);
    const y = tf.relu(x);
    const read = y.dataSync();
    const copy = Float32Array.from(read);
    y.dispose();
    const z = tf.step(tf.neg(x));
    expect(read.every((v, i) => v === copy[i])).toBe(true);
    tf.dispose([x, z]);
  });

  it("leaves arrays shared with another tensor (a complex tensor's real part) untouched", async () => {
    await useBackend('cnnlab-native');
    const x = randomTensor(shape, 3);
    const expected = Float32Array.from(tf.relu(x).dataSync());
    // re is never read: only the complex tensor, which shares re's array, keeps it.
    const re = tf.relu(x);
    const c = tf.complex(re, tf.zerosLike(re));
    re.dispose();
    const more = [tf.relu(tf.neg(x)), tf.relu(tf.mul(x, 2))];
    const real = tf.real(c).dataSync();
    expect(real.every((v, i) => v === expected[i])).toBe(true);
    tf.dispose([x, c, ...more]);
  });
});
