import type * as tf from '@tensorflow/tfjs-core';
import { ModelError } from '../errors.js';

// Bytes per stored element; quantised weights are stored in their quantisation type.
const BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/**
 * The bytes one weight of a manifest takes on disk: its (quantisation) dtype's size × the
 * product of its shape, with the entry checked first. `jsonPath` names the manifest in messages.
 */
export function declaredBytes(spec: tf.io.WeightsManifestEntry, jsonPath: string): number {
  const name = typeof spec?.name === 'string' ? spec.name : undefined;
  const label = name === undefined ? 'a weight without a name' : `weight "${name}"`;
  const fail = (what: string) =>
    new ModelError(`${jsonPath}: ${label} ${what}`, { source: jsonPath });
  if (name === undefined) throw fail('in weightsManifest; expected a "name" for each weight');
  const shape: unknown = spec.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw fail(`has shape ${JSON.stringify(shape)}; expected a list of whole numbers ≥ 0`);
  }
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const bytes = BYTES[dtype];
  if (bytes === undefined) {
    throw fail(
      `has dtype ${JSON.stringify(dtype)}; expected one of ${Object.keys(BYTES).join(', ')}`,
    );
  }
  const total = (shape as number[]).reduce((a, b) => a * b, bytes);
  if (!Number.isSafeInteger(total))
    throw fail(`has shape [${shape.join(', ')}], too large to hold`);
  return total;
}
