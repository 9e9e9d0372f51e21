// The threaded wasm build in Node: this file's process starts 'wasm' only through
// prepareNodeWasmThreads, so the backend under test is the threaded one. The umbrella package
// registers the cpu backend and every gradient (tfjs-core alone has none).
import '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as wasmPackage from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { relativeError, seededValues } from '../test/compare.js';
import { MAX_WASM_THREADS, prepareNodeWasmThreads, wasmThreadsFor } from './node-wasm-threads.js';
import { registerWasmTrainingKernels } from './wasm/register.js';

/** Handles that keep Node alive: a ref'd worker shows as one more MessagePort. */
function messagePorts(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
}
const portsBefore = messagePorts();

type Input = { values: Float32Array; shape: number[] };

/** conv2d of x and filter, plus both its gradients for loss = Σ conv², on the active backend. */
async function convAndGrads(x: Input, filter: Input) {
  const xt = tf.tensor4d(x.values, x.shape as [number, number, number, number]);
  const ft = tf.tensor4d(filter.values, filter.shape as [number, number, number, number]);
  const y = tf.conv2d(xt, ft, 1, 'same');
  const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'))),
  )([xt, ft]);
  const out = { y: await y.data(), dx: await dx.data(), df: await df.data() };
  tf.dispose([xt, ft, y, dx, df]);
  return out;
}

describe('wasmThreadsFor', () => {
  it('takes the cores when nothing is asked, capped at the worker pool', () => {
    expect(wasmThreadsFor(undefined, 2)).toBe(2);
    expect(wasmThreadsFor(undefined, 64)).toBe(MAX_WASM_THREADS);
    expect(wasmThreadsFor(3, 64)).toBe(3);
    expect(wasmThreadsFor(2.7, 1)).toBe(2);
  });

  it('answers 1 for nonsense', () => {
    expect(wasmThreadsFor(0, 4)).toBe(1);
    expect(wasmThreadsFor(-2, 4)).toBe(1);
    expect(wasmThreadsFor(Number.NaN, 4)).toBe(1);
  });
});

describe('prepareNodeWasmThreads', () => {
  it('leaves tfjs alone when one thread is asked for', async () => {
    const factory = tf.engine().registryFactory.wasm?.factory;
    const result = await prepareNodeWasmThreads({ threads: 1 });
    expect(result.threads).toBe(1);
    expect(result.reason).toMatch(/^single-threaded wasm: 1 thread asked for/);
    expect(tf.engine().registryFactory.wasm?.factory).toBe(factory);
  });

  describe('with two threads', () => {
    beforeAll(async () => {
      const result = await prepareNodeWasmThreads({ threads: 2 });
      expect(result).toEqual({
        threads: 2,
        reason: 'threaded SIMD build, 2 XNNPACK threads on worker_threads',
      });
      registerWasmTrainingKernels();
      expect(await tf.setBackend('wasm')).toBe(true);
    });

    it('runs the threaded build with the threads asked for', () => {
      expect(wasmPackage.getThreadsCount()).toBe(2);
      const { wasm } = tf.backend() as BackendWasm;
      // Cast kept: tfjs's module type leaves out these Emscripten internals (memory, pthread pool).
      const module = wasm as typeof wasm & {
        wasmMemory: WebAssembly.Memory;
        PThread: { runningWorkers: unknown[] };
      };
      expect(module.wasmMemory.buffer).toBeInstanceOf(SharedArrayBuffer);
      // XNNPACK's pool: the calling thread and one pthread.
      expect(module.PThread.runningWorkers).toHaveLength(1);
    });

    it('answers the same when called again', async () => {
      expect(await prepareNodeWasmThreads({ threads: 4 })).toEqual({
        threads: 2,
        reason: 'threaded SIMD build, 2 XNNPACK threads on worker_threads',
      });
    });

    it('computes conv2d and its training gradients as the cpu backend does', async () => {
      // Big enough that XNNPACK splits the work between both threads.
      const x = { values: seededValues(8 * 16 * 16 * 8, 1), shape: [8, 16, 16, 8] };
      const filter = { values: seededValues(3 * 3 * 8 * 16, 2), shape: [3, 3, 8, 16] };
      const threaded = await convAndGrads(x, filter);
      await tf.setBackend('cpu');
      const cpu = await convAndGrads(x, filter);
      await tf.setBackend('wasm');
      expect(relativeError(threaded.y, cpu.y)).toBeLessThan(1e-5);
      expect(relativeError(threaded.dx, cpu.dx)).toBeLessThan(1e-5);
      expect(relativeError(threaded.df, cpu.df)).toBeLessThan(1e-5);
    });

    it('leaves no worker holding the process open', () => {
      expect(messagePorts()).toBe(portsBefore);
    });
  });
});
