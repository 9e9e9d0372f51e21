import type { Random } from '@cnnlab/core';
import type { NumericArray } from './image.js';
import type { TransformParams } from './transform.js';

/**
 * What an ImageFlow asks of the generator behind it: draw a transformation, apply it, then
 * standardise. ImageDataGenerator is one; the flow depends on this and not on the class, so the
 * two files don't import each other.
 */
export interface Augmenter {
  /** Draws the parameters of one transformation for an `h`×`w` image from `random`. */
  sampleTransform(h: number, w: number, random: Random): TransformParams;
  /** Transforms one image from `src` at `srcOffset` into `out` at `outOffset`. */
  transformInto(
    src: NumericArray,
    srcOffset: number,
    h: number,
    w: number,
    c: number,
    params: Partial<TransformParams>,
    out: Float32Array,
    outOffset: number,
  ): void;
  /** Rescales and normalises `length` values of `c`-channel data from `offset`, in place. */
  standardize(data: Float32Array, c: number, offset?: number, length?: number): Float32Array;
  /** Why it cannot standardise yet (statistics that `fit` computes are missing), or null. */
  notReady(): string | null;
  /** Whether standardize leaves pixels in their source's range (no rescale, no normalisation). */
  readonly keepsRange: boolean;
}
