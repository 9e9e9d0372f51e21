import { initBackend } from '@cnnlab/backend';
import * as tf from '@tensorflow/tfjs-core';

let chosen: Promise<string> | undefined;

/**
 * The backend train runs on. tfjs falls back to its slow 'cpu' backend when nobody chose one, so
 * unless the app set a backend other than 'cpu', initBackend picks the fastest (once per process).
 */
export async function ensureBackend(mode: 'auto' | 'keep', notes: string[]): Promise<string> {
  const current = tf.engine().backendName as string | undefined;
  if (mode === 'keep' || (current != null && current !== 'cpu')) {
    return current ?? tf.getBackend();
  }
  chosen ??= initBackend().then(
    (choice) => {
      notes.push(
        `backend: no backend chosen, so initBackend picked ${choice.backend} (${choice.reason})`,
      );
      return tf.getBackend();
    },
    (error: unknown) => {
      // Forget the failure, so that a later train may try again.
      chosen = undefined;
      throw error;
    },
  );
  return chosen;
}
