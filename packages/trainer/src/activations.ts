import type { Image } from '@cnnlab/core';
import { activationModel, type LayerRef } from '@cnnlab/models';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { modelInput } from './model-shape.js';
import { prepareImages } from './prepare.js';

/** What one layer computed for a batch of images: `[n, h, w, c]` (or `[n, units]`) floats. */
export interface LayerActivation {
  /** The layer's name, as in `model.summary()`. */
  layer: string;
  /** Its Keras class, e.g. `Conv2D`, `MaxPooling2D`. */
  className: string;
  activation: Image<Float32Array>;
}

/**
 * The activations of the given layers (names or indices; default every Conv2D and pooling layer)
 * for a batch of images, prepared as `predict` prepares them: the workshop's activation model
 * and its `predict` in one call. The tensors are freed; the values come back as typed arrays.
 */
export async function activations(
  model: tfl.LayersModel,
  images: Image | tf.Tensor,
  layers?: readonly LayerRef[],
): Promise<LayerActivation[]> {
  const probe = activationModel(model, layers);
  // The probe's outputs are the chosen layers' outputs, in order: name them from its graph.
  const chosen = probe.outputs.map((output) => output.sourceLayer);
  // prepareImages checks a sample's size against the model's input; the output width is unused.
  const { xs, owned } = prepareImages(images, { ...modelInput(model), classes: 0 }, []);
  try {
    const raw = probe.predict(xs);
    const outputs = Array.isArray(raw) ? raw : [raw];
    try {
      return await Promise.all(
        outputs.map(async (output, i) => ({
          layer: chosen[i].name,
          className: chosen[i].getClassName(),
          activation: { data: (await output.data()) as Float32Array, shape: output.shape },
        })),
      );
    } finally {
      tf.dispose(outputs);
    }
  } finally {
    if (owned) xs.dispose();
  }
}
