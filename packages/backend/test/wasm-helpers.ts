// Shared by the wasm kernel tests: both backends in one process, seeded data, error measure.
// The umbrella package registers the cpu backend and every gradient (tfjs-core alone has none).
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { registerWasmTrainingKernels } from '../src/wasm/register.js';
import { relativeError, seededValues } from './compare.js';
import { switchBackend } from './switch-backend.js';

export { relativeError, seededValues };

export type BackendName = 'cpu' | 'wasm';

/** Registers the training kernels and switches to `name`. */
export async function useBackend(name: BackendName): Promise<void> {
  registerWasmTrainingKernels();
  await switchBackend(name);
}

/** The wasm backend instance, for calling kernel functions directly. */
export async function wasmBackend(): Promise<BackendWasm> {
  await useBackend('wasm');
  return tf.backend() as BackendWasm;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
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
