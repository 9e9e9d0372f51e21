// Shared by the wasm kernel tests: both backends in one process, seeded data, error measure.
// The umbrella package registers the cpu backend and every gradient (tfjs-core alone has none).
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from '../errors.js';
import { registerWasmTrainingKernels } from './register.js';

export type BackendName = 'cpu' | 'wasm';

/** Registers the training kernels and switches to `name`. */
export async function useBackend(name: BackendName): Promise<void> {
  registerWasmTrainingKernels();
  const ok = await tf.setBackend(name);
  if (!ok) {
    throw new BackendError(`test setup: backend '${name}' failed to initialise`);
  }
}

/** The wasm backend instance, for calling kernel functions directly. */
export async function wasmBackend(): Promise<BackendWasm> {
  await useBackend('wasm');
  return tf.backend() as BackendWasm;
}

/** Uniform values in [low, high) from a seeded generator (mulberry32), stable across runs. */
export function seededValues(size: number, seed: number, low = -1, high = 1): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = low + (high - low) * unit;
  }
  return out;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** max |actual − expected| relative to max |expected|: error against the values' magnitude. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) {
    return Number.POSITIVE_INFINITY;
  }
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  }
  return scale === 0 ? worst : worst / scale;
}

/** Runs a kernel through the engine on `backend` from plain values and returns its values. */
export async function runKernelOn(
  backend: BackendName,
  kernelName: string,
  inputs: Record<string, { values: Float32Array; shape: number[] }>,
  attrs: Record<string, unknown>,
): Promise<{ values: Float32Array; shape: number[] }> {
  await useBackend(backend);
  return tf.tidy(() => {
    const tensors: Record<string, tf.Tensor> = {};
    for (const [name, input] of Object.entries(inputs)) {
      tensors[name] = tf.tensor(input.values, input.shape);
    }
    const out = tf.engine().runKernel(kernelName, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
    return { values: out.dataSync() as Float32Array, shape: out.shape };
  });
}
