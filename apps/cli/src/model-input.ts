import type { Image } from '@cnnlab/datasets';
import { CliError } from './errors.js';
import { resizeGrey } from './image.js';

/** 28×28 grey images as the data sets give them: `[n, 28, 28]` or `[n, 28, 28, 1]`. */
type GreyBatch = Image<Uint8Array>;

/** The largest picture side digits are resized to (VGG16 takes 224, the workshop 150). */
export const MAX_PICTURE_SIDE = 1024;

/** The most bytes of resized pictures made at once (1 GiB): more needs --limit. */
export const MAX_PICTURE_BYTES = 1024 ** 3;

/**
 * The picture size a model takes, from its input shape: `[h, w, c]` for a conv net, null for a
 * model that takes flat or MNIST-shaped input as it is (dense, the workshop's CNNs). A shape from
 * a model folder is checked before anything is allocated for it.
 */
export function pictureInput(
  inputShape: readonly (number | null)[],
): { size: number; channels: number } | null {
  const [, h, w, c] = inputShape;
  if (inputShape.length !== 4 || !h || !w || !c) return null;
  if (h === 28 && w === 28 && c === 1) return null;
  const shape = `[${inputShape.map((d) => d ?? 'null').join(', ')}]`;
  if (![h, w, c].every((d) => Number.isSafeInteger(d) && d > 0)) {
    throw new CliError(`the model's input shape ${shape} is not made of whole numbers`);
  }
  if (h !== w) throw new CliError(`models with non-square input [${h}, ${w}] are not supported`);
  if (h > MAX_PICTURE_SIDE || c > 4) {
    throw new CliError(
      `the model takes ${h}×${w}×${c} pictures; cnnlab makes digits into pictures of at most ${MAX_PICTURE_SIDE}×${MAX_PICTURE_SIDE}×4`,
    );
  }
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
  const bytes = n * size * size * channels;
  if (bytes > MAX_PICTURE_BYTES) {
    const mib = Math.ceil(bytes / 1024 ** 2);
    throw new CliError(
      `${n} digits made ${size}×${size}×${channels} would take ${mib} MiB (at most ${MAX_PICTURE_BYTES / 1024 ** 2} MiB at once); use fewer with --limit`,
    );
  }
  const out = new Uint8Array(bytes);
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
