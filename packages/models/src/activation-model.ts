import * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from './errors.js';
import { type LayerRef, layerIndex } from './layer-ref.js';

/**
 * A model from `model`'s input to the activations of the given layers (names, or indices into
 * `model.layers`), in that order: the workshop's
 * `models.Model(inputs=network.input, outputs=[network.layers[i].output for i in [0, 2, 4]])`.
 * Without `layers`, every Conv2D and pooling layer. It shares the layers (and weights) of `model`.
 */
export function activationModel(
  model: tfl.LayersModel,
  layers?: readonly LayerRef[],
): tfl.LayersModel {
  const chosen =
    layers === undefined
      ? model.layers.filter((layer) =>
          /^(Conv2D|(Max|Average)Pooling2D)$/.test(layer.getClassName()),
        )
      : layers.map((ref, i) => model.layers[layerIndex(model, ref, `layers[${i}]`)]);
  if (chosen.length === 0) {
    throw new ModelError(
      layers === undefined
        ? `model "${model.name}" has no Conv2D or pooling layer; name the layers whose activations you want`
        : 'layers is empty; expected at least one layer name or index',
      { source: 'layers' },
    );
  }
  const outputs = chosen.map((layer) => {
    if (layer.inboundNodes.length !== 1) {
      // A shared layer has one output per use; which one is meant would be a guess.
      throw new ModelError(
        `layer "${layer.name}" is used ${layer.inboundNodes.length} times; its activation is ambiguous`,
        { source: layer.name },
      );
    }
    return layer.output as tfl.SymbolicTensor;
  });
  return tfl.model({ inputs: model.inputs, outputs, name: `${model.name}_activations` });
}
