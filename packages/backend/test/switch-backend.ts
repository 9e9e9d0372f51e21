// Shared by the native and wasm test helpers: switching backends in a test's setup.
import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from '../src/errors.js';

/** tf.setBackend(name), failing the test setup when the backend does not initialise. */
export async function switchBackend(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) {
    throw new BackendError(`test setup: backend '${name}' failed to initialise`);
  }
}
