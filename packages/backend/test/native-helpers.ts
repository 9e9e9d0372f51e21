// Shared by the native backend's tests: both backends in one process, seeded data, and
// comparisons of a computation run on 'cpu' and on 'cnnlab-native'.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { BackendError } from '../src/errors.js';
import { loadAddon, type NativeAddon } from '../src/native/addon.js';
import { registerNativeBackend } from '../src/native/register.js';
import { relativeError, seededValues } from './compare.js';
import { switchBackend } from './switch-backend.js';

export { relativeError, seededValues };

export type BackendName = 'cpu' | 'cnnlab-native';

/**
 * The addon, registered as a backend. CI builds it (libopenblas-dev is installed there), so a
 * missing addon fails the tests with the reason instead of skipping them.
 */
export function requireNative(): NativeAddon {
  const registration = registerNativeBackend();
  if (!registration.ok) {
    throw new BackendError(`the native backend tests need the addon: ${registration.reason}`);
  }
  const load = loadAddon();
  if (!load.ok) throw new BackendError(`native addon: ${load.reason}`);
  return load.addon;
}

export async function useBackend(name: BackendName): Promise<void> {
  if (name === 'cnnlab-native') requireNative();
  await switchBackend(name);
}

/** A seeded float32 tensor. */
export function randomTensor(shape: number[], seed: number, low = -1, high = 1): tf.Tensor {
  return tf.tensor(seededValues(tf.util.sizeFromShape(shape), seed, low, high), shape, 'float32');
}

export interface Outputs {
  shapes: number[][];
  values: Float32Array[];
}

/** Runs `compute` on one backend and reads its outputs, leaving no tensor behind. */
export async function runOn(
  name: BackendName,
  compute: () => tf.Tensor | tf.Tensor[],
): Promise<Outputs> {
  await useBackend(name);
  const before = tf.memory().numTensors;
  const result = tf.tidy(compute);
  const list = Array.isArray(result) ? result : [result];
  const out = {
    shapes: list.map((t) => t.shape),
    values: list.map((t) => Float32Array.from(t.dataSync())),
  };
  tf.dispose(list);
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

/**
 * Runs `compute` on 'cpu' and on 'cnnlab-native' and expects the same shapes and values
 * within `tolerance` (relative to the largest reference value; 0 means bit-identical, NaN
 * matching NaN).
 */
export async function expectSameOnBothBackends(
  compute: () => tf.Tensor | tf.Tensor[],
  tolerance = 1e-4,
): Promise<void> {
  const reference = await runOn('cpu', compute);
  const native = await runOn('cnnlab-native', compute);
  expect(native.shapes).toEqual(reference.shapes);
  reference.values.forEach((ref, i) => {
    const got = native.values[i];
    expect(got.length).toBe(ref.length);
    if (tolerance === 0) {
      expect(Array.from(got)).toEqual(Array.from(ref));
    } else {
      expect(relativeError(got, ref)).toBeLessThanOrEqual(tolerance);
    }
  });
}
