// One picture file made into what a saved model takes, the same way for predict and activations:
// a picture model's as its training pictures were made, anything else as an MNIST digit.
import type { Image } from '@cnnlab/datasets';
import { readGreyPng, toMnistLike } from './image.js';
import type { ModelDir } from './model-dir.js';
import { forModel } from './model-input.js';
import { readPicture } from './pictures.js';

export interface ModelPicture {
  /** A batch of one, `[1, h, w(, c)]` bytes, as the model takes it. */
  input: Image<Uint8Array>;
  /** What the picture was made into before it was fitted to the model, for a terminal preview. */
  made: Image<Uint8Array>;
  /** A digit drawn dark on light, inverted to MNIST's light on dark. */
  inverted: boolean;
}

/** The file at `path` as `loaded`'s model takes it; unreadable files are one line naming them. */
export async function readModelPicture(
  path: string,
  loaded: Pick<ModelDir, 'model' | 'meta'>,
): Promise<ModelPicture> {
  const pictures = loaded.meta.images;
  if (pictures) {
    // Decoded, colour-converted and resized as imageDatasetFromDirectory made the training ones.
    const input = await readPicture(path, pictures);
    const [, size = 0, , channels = 1] = input.shape;
    const shape = channels === 1 ? [size, size] : [size, size, channels];
    return { input, made: { data: input.data, shape }, inverted: false };
  }
  const mnist = toMnistLike(await readGreyPng(path));
  const input = forModel(
    { data: mnist.image.data, shape: [1, 28, 28] },
    loaded.model.inputs[0]?.shape ?? [],
  );
  return { input, made: mnist.image, inverted: mnist.inverted };
}
