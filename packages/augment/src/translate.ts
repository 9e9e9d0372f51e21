import { checkFillMode, type FillMode } from './fill-mode.js';
import { type Image, imageDims } from './image.js';
import { resample } from './resample.js';

export interface TranslateOptions {
  /** Default 'constant' with cval 0: the uncovered border is zero, as in the workshop. */
  fillMode?: FillMode;
  cval?: number;
}

/**
 * Moves the content dx pixels right and dy pixels down (negative: left, up). The workshop's
 * `t[:24, 4:] = img[4:, :24]` is `translate(img, 4, -4)`. Fractions interpolate bilinearly.
 */
export function translate(
  image: Image,
  dx: number,
  dy: number,
  options: TranslateOptions = {},
): Image<Float32Array> {
  const { h, w, c } = imageDims(image);
  const out = new Float32Array(h * w * c);
  const map = { a00: 1, a01: 0, a10: 0, a11: 1, b0: -dy, b1: -dx };
  resample(
    image.data,
    0,
    h,
    w,
    c,
    map,
    checkFillMode(options.fillMode ?? 'constant'),
    options.cval ?? 0,
    out,
    0,
  );
  return { data: out, shape: [...image.shape] };
}
