import type * as tfl from '@tensorflow/tfjs-layers';
import { type LayerRef, layerIndex } from './layer-ref.js';
import { isNestedModel } from './nested-model.js';

export interface FreezeOptions {
  /**
   * Freeze only the layers before this one (a name or an index into `model.layers`), like
   * Python's `model.layers[:upTo]`; the default freezes every layer.
   */
  upTo?: LayerRef;
}

export interface UnfreezeOptions {
  /** Unfreeze only this layer and those after it, like `model.layers[from:]`; default all. */
  from?: LayerRef;
}

/**
 * Sets `trainable = false` on the model's layers, Keras's way of keeping a pretrained base as it
 * is: `freeze(base)`, or `freeze(model, { upTo: 'block5_conv1' })` to fine-tune the last block.
 * As in Keras, (re)compile after changing what is trainable: tfjs fixes the list of weights it
 * trains when the model is compiled. Returns the model.
 */
export function freeze<M extends tfl.LayersModel>(model: M, options: FreezeOptions = {}): M {
  const end =
    options.upTo === undefined ? model.layers.length : layerIndex(model, options.upTo, 'upTo');
  setTrainable(model, 0, end, false);
  return model;
}

/** Sets `trainable = true` on the model's layers (from `from` on). Returns the model. */
export function unfreeze<M extends tfl.LayersModel>(model: M, options: UnfreezeOptions = {}): M {
  const start = options.from === undefined ? 0 : layerIndex(model, options.from, 'from');
  // A model set untrainable as a whole hides all its weights, whatever its layers say.
  if (!model.trainable) model.trainable = true;
  setTrainable(model, start, model.layers.length, true);
  return model;
}

function setTrainable(
  model: tfl.LayersModel,
  start: number,
  end: number,
  trainable: boolean,
): void {
  for (const layer of model.layers.slice(start, end)) {
    // A nested model's setter flips only its weights; its layers' own flags are set here too,
    // so that summaries and a later unfreeze see the same state.
    layer.trainable = trainable;
    if (isNestedModel(layer)) setTrainable(layer, 0, layer.layers.length, trainable);
  }
}
