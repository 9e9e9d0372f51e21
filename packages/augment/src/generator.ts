import { type Random, seededRandom } from '@cnnlab/core';
import type { Augmenter } from './augmenter.js';
import { AugmentError } from './errors.js';
import { checkFillMode, type FillMode } from './fill-mode.js';
import { type FlowOptions, ImageFlow, type Labels } from './flow.js';
import { batchDims, type Image, imageDims, type NumericArray } from './image.js';
import { resample } from './resample.js';
import { affineMap, isIdentity, type TransformParams } from './transform.js';

/** The knobs of Keras's ImageDataGenerator, in camelCase, with the same meaning. */
export interface ImageDataGeneratorOptions {
  /** Degrees; the angle is drawn uniformly from [−r, r]. */
  rotationRange?: number;
  /** Fraction of the width when < 1, pixels when ≥ 1, or a list of allowed values (sign drawn). */
  widthShiftRange?: number | readonly number[];
  /** Fraction of the height when < 1, pixels when ≥ 1, or a list of allowed values (sign drawn). */
  heightShiftRange?: number | readonly number[];
  /** Shear angle in degrees, drawn from [−s, s]. */
  shearRange?: number;
  /** z means [1 − z, 1 + z]; or a [lower, upper] pair. Values < 1 zoom in. */
  zoomRange?: number | readonly [number, number];
  horizontalFlip?: boolean;
  verticalFlip?: boolean;
  /** Beyond the edges: 'nearest' (default), 'constant', 'reflect' or 'wrap'. */
  fillMode?: FillMode;
  /** The value of 'constant'. Default 0. */
  cval?: number;
  /** Multiply every value by this after the transform (e.g. 1 / 255). */
  rescale?: number;
  /** Brightness factor drawn from [lower, upper]; pixel values are kept in 0–255 as Keras (PIL) does. */
  brightnessRange?: readonly [number, number];
  /** A value drawn from [−r, r] added to every channel, clipped to the image's range. */
  channelShiftRange?: number;
  featurewiseCenter?: boolean;
  featurewiseStdNormalization?: boolean;
  samplewiseCenter?: boolean;
  samplewiseStdNormalization?: boolean;
  /** Seed of the generator's own random stream (used when no seed is passed per call). */
  seed?: number;
}

function nonNegative(value: number | undefined, name: string): number {
  const v = value ?? 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new AugmentError(`${name} is ${JSON.stringify(value)}; expected a number >= 0`, name);
  }
  return v;
}

function shiftRange(
  value: number | readonly number[] | undefined,
  name: string,
): number | number[] {
  if (Array.isArray(value)) {
    if (
      value.length === 0 ||
      !value.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)
    ) {
      throw new AugmentError(
        `${name} is ${JSON.stringify(value)}; expected a non-empty list of numbers >= 0`,
        name,
      );
    }
    return [...value];
  }
  return nonNegative(value as number | undefined, name);
}

function pairRange(
  value: number | readonly [number, number] | undefined,
  name: string,
  fromScalar: (v: number) => [number, number],
) {
  if (value === undefined) return undefined;
  const pair = typeof value === 'number' ? fromScalar(value) : [...value];
  if (
    pair.length !== 2 ||
    !pair.every((v) => typeof v === 'number' && Number.isFinite(v)) ||
    pair[0] > pair[1]
  ) {
    throw new AugmentError(
      `${name} is ${JSON.stringify(value)}; expected [lower, upper] with lower <= upper`,
      name,
    );
  }
  return pair as [number, number];
}

/**
 * Keras's ImageDataGenerator: random rotations, shifts, shears, zooms, flips, channel shifts and
 * brightness, composed into one affine map and sampled once with bilinear interpolation, then
 * rescaled and normalised. Seeded: the same seed gives the same images everywhere.
 */
export class ImageDataGenerator implements Augmenter {
  readonly rotationRange: number;
  readonly widthShiftRange: number | number[];
  readonly heightShiftRange: number | number[];
  readonly shearRange: number;
  readonly zoomRange: [number, number];
  readonly horizontalFlip: boolean;
  readonly verticalFlip: boolean;
  readonly fillMode: FillMode;
  readonly cval: number;
  readonly rescale: number | undefined;
  readonly brightnessRange: [number, number] | undefined;
  readonly channelShiftRange: number;
  readonly featurewiseCenter: boolean;
  readonly featurewiseStdNormalization: boolean;
  readonly samplewiseCenter: boolean;
  readonly samplewiseStdNormalization: boolean;
  /** Per-channel mean and standard deviation, set by `fit`. */
  mean: Float32Array | null = null;
  std: Float32Array | null = null;
  private readonly random: Random;

  constructor(options: ImageDataGeneratorOptions = {}) {
    this.rotationRange = nonNegative(options.rotationRange, 'rotationRange');
    this.widthShiftRange = shiftRange(options.widthShiftRange, 'widthShiftRange');
    this.heightShiftRange = shiftRange(options.heightShiftRange, 'heightShiftRange');
    this.shearRange = nonNegative(options.shearRange, 'shearRange');
    const zoom = options.zoomRange ?? 0;
    if (typeof zoom === 'number') nonNegative(zoom, 'zoomRange');
    this.zoomRange = pairRange(zoom, 'zoomRange', (z) => [1 - z, 1 + z]) as [number, number];
    if (this.zoomRange[0] <= 0) {
      throw new AugmentError(
        `zoomRange ${JSON.stringify(options.zoomRange)} allows a zoom of ${this.zoomRange[0]}; zooms must be > 0`,
        'zoomRange',
      );
    }
    this.horizontalFlip = Boolean(options.horizontalFlip);
    this.verticalFlip = Boolean(options.verticalFlip);
    this.fillMode = checkFillMode(options.fillMode ?? 'nearest');
    this.cval = options.cval ?? 0;
    if (options.rescale !== undefined && !Number.isFinite(options.rescale)) {
      throw new AugmentError(`rescale is ${options.rescale}; expected a finite number`, 'rescale');
    }
    this.rescale = options.rescale || undefined;
    this.brightnessRange = pairRange(options.brightnessRange, 'brightnessRange', () => [1, 1]);
    if (this.brightnessRange && this.brightnessRange[0] < 0) {
      throw new AugmentError(
        `brightnessRange ${JSON.stringify(options.brightnessRange)} must not be negative`,
        'brightnessRange',
      );
    }
    this.channelShiftRange = nonNegative(options.channelShiftRange, 'channelShiftRange');
    this.featurewiseCenter = Boolean(options.featurewiseCenter);
    this.featurewiseStdNormalization = Boolean(options.featurewiseStdNormalization);
    this.samplewiseCenter = Boolean(options.samplewiseCenter);
    this.samplewiseStdNormalization = Boolean(options.samplewiseStdNormalization);
    this.random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32));
  }

  /** Draws the parameters of one transformation for an image of this shape (`[h, w(, c)]`). */
  getRandomTransform(shape: readonly number[], seed?: number): TransformParams {
    const random = seed === undefined ? this.random : seededRandom(seed);
    return this.sampleTransform(shape[0], shape[1], random);
  }

  /** Draws the parameters of one transformation from a given random stream. */
  sampleTransform(h: number, w: number, random: Random): TransformParams {
    const uniform = (lo: number, hi: number) => lo + (hi - lo) * random();
    const shift = (range: number | number[], size: number) => {
      let value: number;
      if (Array.isArray(range)) {
        value = range[Math.floor(random() * range.length)] * (random() < 0.5 ? -1 : 1);
      } else {
        if (range === 0) return 0;
        value = uniform(-range, range);
      }
      return Math.max(...(Array.isArray(range) ? range : [range])) < 1 ? value * size : value;
    };
    const theta = this.rotationRange ? uniform(-this.rotationRange, this.rotationRange) : 0;
    const tx = shift(this.heightShiftRange, h);
    const ty = shift(this.widthShiftRange, w);
    const shear = this.shearRange ? uniform(-this.shearRange, this.shearRange) : 0;
    const [zlo, zhi] = this.zoomRange;
    const zoomed = zlo !== 1 || zhi !== 1;
    const zx = zoomed ? uniform(zlo, zhi) : 1;
    const zy = zoomed ? uniform(zlo, zhi) : 1;
    return {
      theta,
      tx,
      ty,
      shear,
      zx,
      zy,
      flipHorizontal: this.horizontalFlip && random() < 0.5,
      flipVertical: this.verticalFlip && random() < 0.5,
      channelShiftIntensity: this.channelShiftRange
        ? uniform(-this.channelShiftRange, this.channelShiftRange)
        : null,
      brightness: this.brightnessRange
        ? uniform(this.brightnessRange[0], this.brightnessRange[1])
        : null,
    };
  }

  /** Applies given parameters to one image `[h, w]` or `[h, w, c]`; returns float32, same shape. */
  applyTransform(image: Image, params: Partial<TransformParams>): Image<Float32Array> {
    const { h, w, c } = imageDims(image);
    const out = new Float32Array(h * w * c);
    this.transformInto(image.data, 0, h, w, c, params, out, 0);
    return { data: out, shape: [...image.shape] };
  }

  /** Draws a transformation and applies it (Keras's random_transform). */
  randomTransform(image: Image, seed?: number): Image<Float32Array> {
    return this.applyTransform(image, this.getRandomTransform(image.shape, seed));
  }

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
  ): void {
    const map = affineMap(params, h, w);
    const size = h * w * c;
    if (isIdentity(map)) {
      for (let i = 0; i < size; i++) out[outOffset + i] = src[srcOffset + i];
    } else {
      resample(src, srcOffset, h, w, c, map, this.fillMode, this.cval, out, outOffset);
    }
    const intensity = params.channelShiftIntensity;
    if (intensity !== null && intensity !== undefined && intensity !== 0) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < size; i++) {
        const v = out[outOffset + i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      for (let i = 0; i < size; i++) {
        out[outOffset + i] = Math.min(hi, Math.max(lo, out[outOffset + i] + intensity));
      }
    }
    const brightness = params.brightness;
    if (brightness !== null && brightness !== undefined) {
      for (let i = 0; i < size; i++) {
        out[outOffset + i] = Math.min(255, Math.max(0, out[outOffset + i] * brightness));
      }
    }
  }

  /**
   * Computes the per-channel mean and standard deviation of `x` (`[n, h, w, c]`, after `rescale`)
   * for featurewise centring and normalisation.
   */
  fit(x: Image): this {
    const { n, h, w, c } = batchDims(x);
    const scale = this.rescale ?? 1;
    const count = n * h * w;
    const mean = new Float64Array(c);
    for (let i = 0; i < x.data.length; i++) mean[i % c] += x.data[i] * scale;
    for (let k = 0; k < c; k++) mean[k] /= count;
    const variance = new Float64Array(c);
    for (let i = 0; i < x.data.length; i++) {
      const d = x.data[i] * scale - mean[i % c];
      variance[i % c] += d * d;
    }
    this.mean = Float32Array.from(mean);
    this.std = Float32Array.from(variance, (v) => Math.sqrt(v / count));
    return this;
  }

  /** Why standardize cannot run yet: featurewise normalisation before `fit`; else null. */
  notReady(): string | null {
    if ((this.featurewiseCenter || this.featurewiseStdNormalization) && !this.mean) {
      return 'featurewiseCenter / featurewiseStdNormalization need the statistics of the data: call fit(x)';
    }
    return null;
  }

  /** Whether standardize leaves pixels as they were: no rescale and no normalisation. */
  get keepsRange(): boolean {
    return (
      this.rescale === undefined &&
      !this.samplewiseCenter &&
      !this.samplewiseStdNormalization &&
      !this.featurewiseCenter &&
      !this.featurewiseStdNormalization
    );
  }

  /** Rescale, then samplewise and featurewise normalisation, in place on `c`-channel data. */
  standardize(
    data: Float32Array,
    c: number,
    offset = 0,
    length = data.length - offset,
  ): Float32Array {
    const end = offset + length;
    if (this.rescale !== undefined) for (let i = offset; i < end; i++) data[i] *= this.rescale;
    if (this.samplewiseCenter || this.samplewiseStdNormalization) {
      let mean = 0;
      for (let i = offset; i < end; i++) mean += data[i];
      mean /= length;
      if (this.samplewiseCenter) for (let i = offset; i < end; i++) data[i] -= mean;
      if (this.samplewiseStdNormalization) {
        const centre = this.samplewiseCenter ? 0 : mean;
        let sq = 0;
        for (let i = offset; i < end; i++) sq += (data[i] - centre) ** 2;
        const std = Math.sqrt(sq / length) + 1e-6;
        for (let i = offset; i < end; i++) data[i] /= std;
      }
    }
    if (this.featurewiseCenter || this.featurewiseStdNormalization) {
      const { mean, std } = this;
      if (!mean || !std) throw new AugmentError(`${this.notReady()} first`, 'fit');
      for (let i = offset; i < end; i++) {
        const k = (i - offset) % c;
        if (this.featurewiseCenter) data[i] -= mean[k];
        if (this.featurewiseStdNormalization) data[i] /= std[k] + 1e-6;
      }
    }
    return data;
  }

  /**
   * Batches of augmented, standardised images from `x` (`[n, h, w, c]` or `[n, h, w]`) with their
   * labels: every sample once per epoch, reshuffled each epoch when `shuffle`.
   */
  flow(x: Image, y?: Labels, options: FlowOptions = {}): ImageFlow {
    return new ImageFlow(this, x, y, options);
  }
}
