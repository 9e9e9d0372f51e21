import type { Image, TypedArray } from '@cnnlab/core';
import { DatasetError } from './errors.js';
import { type Box, type ResizeTarget, resizeBilinearInto } from './resize-bilinear.js';

export interface ResizeImageOptions {
  /**
   * Keras's `crop_to_aspect_ratio`: take the largest centred window with the target's aspect
   * ratio, then resize it, so nothing is stretched (the edges that do not fit are lost).
   */
  cropToAspectRatio?: boolean;
  /**
   * Keras's `pad_to_aspect_ratio` (`tf.image.resize_with_pad`): resize the whole picture to fit
   * inside the target, keeping its aspect ratio, and centre it on zeros.
   */
  padToAspectRatio?: boolean;
}

const f32 = Math.fround;

/**
 * The source window Keras's `smart_resize` keeps (as the tf.data pipeline computes it, in
 * float32): the largest centred box with the aspect ratio of `size`.
 */
export function cropBox(height: number, width: number, size: readonly [number, number]): Box {
  const [th, tw] = size;
  const ch = Math.max(Math.min(height, Math.trunc(f32(f32(width * th) / tw))), 1);
  const cw = Math.max(Math.min(width, Math.trunc(f32(f32(height * tw) / th))), 1);
  return {
    top: Math.trunc(f32(height - ch) / 2),
    left: Math.trunc(f32(width - cw) / 2),
    height: ch,
    width: cw,
  };
}

/**
 * Where `tf.image.resize_with_pad` puts the resized picture inside `size` (float32, as TF). A
 * side TF would shrink to zero pixels (a picture 1000 times wider than tall) keeps one.
 */
export function padBox(height: number, width: number, size: readonly [number, number]): Box {
  const [th, tw] = size;
  const ratio = Math.max(f32(width / tw), f32(height / th));
  const h = f32(height / ratio);
  const w = f32(width / ratio);
  return {
    top: Math.max(0, Math.floor(f32(f32(th - h) / 2))),
    left: Math.max(0, Math.floor(f32(f32(tw - w) / 2))),
    height: Math.min(th, Math.max(1, Math.floor(h))),
    width: Math.min(tw, Math.max(1, Math.floor(w))),
  };
}

/**
 * Resizes `[h, w, c]` pixels (row-major) into `target` at its offset, as Keras's
 * `image_dataset_from_directory` does: plain bilinear, after a centred crop or into a zero-padded
 * box when asked. The caller has checked the shapes.
 */
export function resizeImageInto(
  data: TypedArray,
  shape: readonly [number, number, number],
  target: ResizeTarget,
  options: ResizeImageOptions = {},
): void {
  const [h, w, c] = shape;
  const size: [number, number] = [target.height, target.width];
  const whole: Box = { top: 0, left: 0, height: h, width: w };
  const full: Box = { top: 0, left: 0, height: target.height, width: target.width };
  if (options.cropToAspectRatio) {
    resizeBilinearInto(data, w, c, cropBox(h, w, size), target, full);
  } else if (options.padToAspectRatio) {
    // Zero the target first: it may be reused memory, and padding must read as black.
    target.data.fill(0, target.offset, target.offset + target.height * target.width * c);
    resizeBilinearInto(data, w, c, whole, target, padBox(h, w, size));
  } else {
    resizeBilinearInto(data, w, c, whole, target, full);
  }
}

function checkSize(size: unknown): [number, number] {
  const ok =
    Array.isArray(size) &&
    size.length === 2 &&
    size.every((d) => Number.isInteger(d) && d >= 1 && d <= 65535);
  if (!ok) {
    throw new DatasetError(
      `resizeImage: size must be [height, width], two integers in 1..65535, got ${JSON.stringify(size)}`,
      { source: 'size' },
    );
  }
  return size as [number, number];
}

/**
 * Keras's `keras.ops.image.resize` with bilinear interpolation (TensorFlow's kernel: half-pixel
 * centres, no antialiasing) for one `[h, w]` or `[h, w, c]` image. Bytes in (Uint8Array or
 * Uint8ClampedArray), bytes out, rounded to the nearest level; any other array gives float32.
 * Shrinking by more than two drops detail rather than averaging it, as TF's bilinear does.
 */
export function resizeImage(
  image: Image,
  size: readonly [number, number],
  options: ResizeImageOptions = {},
): Image<Uint8Array | Float32Array> {
  const [th, tw] = checkSize(size);
  const { shape, data } = image;
  const c = shape.length === 2 ? 1 : shape[2];
  const valid =
    (shape.length === 2 || shape.length === 3) &&
    shape.every((d) => Number.isInteger(d) && d >= 1) &&
    data.length === shape[0] * shape[1] * c;
  if (!valid) {
    throw new DatasetError(
      `resizeImage: image must be [h, w] or [h, w, c] with data of that size, got shape [${shape.join(', ')}] and ${data.length} values`,
      { source: 'image' },
    );
  }
  if (options.cropToAspectRatio && options.padToAspectRatio) {
    throw new DatasetError(
      'resizeImage: cropToAspectRatio and padToAspectRatio exclude each other; choose one',
      { source: 'cropToAspectRatio' },
    );
  }
  const bytes = data instanceof Uint8Array || data instanceof Uint8ClampedArray;
  const out = bytes ? new Uint8Array(th * tw * c) : new Float32Array(th * tw * c);
  resizeImageInto(
    data,
    [shape[0], shape[1], c],
    { data: out, offset: 0, height: th, width: tw },
    options,
  );
  return { data: out, shape: shape.length === 2 ? [th, tw] : [th, tw, c] };
}
