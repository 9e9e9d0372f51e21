import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * Whether a layer is itself a model (a VGG16 base inside a bigger model). Duck-typed rather than
 * `instanceof`, so that a model built by another copy of tfjs-layers is recognised too.
 */
export function isNestedModel(layer: tfl.layers.Layer): layer is tfl.LayersModel {
  const candidate = layer as Partial<tfl.LayersModel>;
  return Array.isArray(candidate.layers) && Array.isArray(candidate.inputs);
}
