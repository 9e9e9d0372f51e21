import { CliError } from './errors.js';
import { resizeGrey } from './image.js';

/** 28×28 grey images as the data sets give them: `[n, 28, 28]` or `[n, 28, 28, 1]`. */
export interface GreyBatch {
  data: Uint8Array;
  shape: number[];
}

/**
 * The picture size a model takes, from its input shape: `[h, w, c]` for a conv net, null for a
 * model that takes flat or MNIST-shaped input as it is (dense, the workshop's CNNs).
 */
export function pictureInput(
  inputShape: readonly (number | null)[],
): { size: number; channels: number } | null {
  const [, h, w, c] = inputShape;
  if (inputShape.length !== 4 || !h || !w || !c) return null;
  if (h === 28 && w === 28 && c === 1) return null;
  if (h !== w) throw new CliError(`models with non-square input [${h}, ${w}] are not supported`);
  return { size: h, channels: c };
}

/**
 * MNIST-like grey digits made into the pictures a bigger conv net takes (VGG16 needs at least
 * 32×32 and three channels): each digit resized by area averaging, its grey copied to every
 * channel, as Keras users do with `tf.image.grayscale_to_rgb`.
 */
export function toPictures(
  images: GreyBatch,
  target: { size: number; channels: number },
): GreyBatch {
  const [n = 0, h = 28, w = 28] = images.shape;
  const { size, channels } = target;
  const out = new Uint8Array(n * size * size * channels);
  for (let i = 0; i < n; i++) {
    const one = resizeGrey(
      { data: images.data.subarray(i * h * w, (i + 1) * h * w), shape: [h, w] },
      size,
    );
    const base = i * size * size * channels;
    for (let p = 0; p < size * size; p++) {
      const v = one.data[p] ?? 0;
      for (let c = 0; c < channels; c++) out[base + p * channels + c] = v;
    }
  }
  return { data: out, shape: [n, size, size, channels] };
}

/** The images as the model takes them: unchanged for MNIST-shaped models, else resized. */
export function forModel(images: GreyBatch, inputShape: readonly (number | null)[]): GreyBatch {
  const target = pictureInput(inputShape);
  return target ? toPictures(images, target) : images;
}
