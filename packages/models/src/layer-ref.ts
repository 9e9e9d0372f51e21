import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from './errors.js';

/** A layer of a model, by name or by index into `model.layers` (negative counts from the end). */
export type LayerRef = string | number;

/** The index in `model.layers` of a layer named or indexed, or a ModelError saying what exists. */
export function layerIndex(model: tfl.LayersModel, ref: LayerRef, argument: string): number {
  const { layers } = model;
  if (typeof ref === 'number') {
    const index = ref < 0 ? layers.length + ref : ref;
    if (!Number.isInteger(ref) || index < 0 || index >= layers.length) {
      throw new ModelError(
        `${argument} is ${ref}; model "${model.name}" has ${layers.length} layers (indices 0 to ${layers.length - 1}, or negative from the end)`,
        { source: argument },
      );
    }
    return index;
  }
  const index = layers.findIndex((layer) => layer.name === ref);
  if (index < 0) {
    throw new ModelError(
      `${argument}: model "${model.name}" has no layer named ${JSON.stringify(ref)}; its layers: ${layers.map((l) => l.name).join(', ')}`,
      { source: String(ref) },
    );
  }
  return index;
}
