import { KernelError } from './errors.js';
import { pairOf } from './options.js';

/** Keras padding names for Conv2D and the pooling layers. */
export type LayerPadding = 'valid' | 'same';

/** A Keras shape: `[h, w, c]`, or with the batch dimension first (`null` for "any"). */
export type LayerShape = readonly (number | null)[];

function checkPadding(padding: string): LayerPadding {
  if (padding !== 'valid' && padding !== 'same') {
    throw new KernelError(
      `padding is ${JSON.stringify(padding)}; expected 'valid' or 'same'`,
      'padding',
    );
  }
  return padding;
}

/**
 * Output length along one axis, as Keras computes it: the dilated kernel spans (k − 1)·d + 1;
 * 'valid' gives ceil((n − span + 1) / s), 'same' gives ceil(n / s).
 */
export function convOutputLength(
  length: number,
  kernelSize: number,
  options: { padding?: LayerPadding; stride?: number; dilation?: number } = {},
): number {
  const padding = checkPadding(options.padding ?? 'valid');
  const [stride] = pairOf(options.stride ?? 1, 'stride');
  const [dilation] = pairOf(options.dilation ?? 1, 'dilation');
  const [k] = pairOf(kernelSize, 'kernelSize');
  const span = (k - 1) * dilation + 1;
  const n = padding === 'same' ? length : length - span + 1;
  if (n <= 0) {
    throw new KernelError(
      `an input of ${length} is too small for a kernel spanning ${span} with 'valid' padding`,
      'inputShape',
    );
  }
  return Math.ceil(n / stride);
}

function spatial(inputShape: LayerShape): {
  batch: (number | null)[];
  h: number;
  w: number;
  c: number;
} {
  if (inputShape.length !== 3 && inputShape.length !== 4) {
    throw new KernelError(
      `inputShape is [${inputShape.join(', ')}]; expected [h, w, channels] or [batch, h, w, channels]`,
      'inputShape',
    );
  }
  const batch = inputShape.length === 4 ? [inputShape[0]] : [];
  const [h, w, c] = inputShape.slice(-3);
  for (const d of [h, w, c]) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1) {
      throw new KernelError(
        `inputShape is [${inputShape.join(', ')}]; h, w and channels must be positive integers`,
        'inputShape',
      );
    }
  }
  return { batch, h: h as number, w: w as number, c: c as number };
}

export interface ConvShapeOptions {
  kernelSize: number | readonly [number, number];
  filters: number;
  padding?: LayerPadding;
  strides?: number | readonly [number, number];
  dilation?: number | readonly [number, number];
}

/** The output shape of a Keras Conv2D layer (channels last), keeping a batch dimension if given. */
export function convOutputShape(
  inputShape: LayerShape,
  options: ConvShapeOptions,
): (number | null)[] {
  const { batch, h, w } = spatial(inputShape);
  const [kh, kw] = pairOf(options.kernelSize, 'kernelSize');
  const [sh, sw] = pairOf(options.strides ?? 1, 'strides');
  const [dh, dw] = pairOf(options.dilation ?? 1, 'dilation');
  if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1)) {
    throw new KernelError(
      'Conv2D does not allow strides > 1 together with dilation > 1 (as in Keras)',
      'strides',
    );
  }
  const [filters] = pairOf(options.filters, 'filters');
  const padding = options.padding ?? 'valid';
  return [
    ...batch,
    convOutputLength(h, kh, { padding, stride: sh, dilation: dh }),
    convOutputLength(w, kw, { padding, stride: sw, dilation: dw }),
    filters,
  ];
}

export interface PoolShapeOptions {
  /** Window size; default 2. */
  poolSize?: number | readonly [number, number];
  /** Default: the pool size, as in Keras. */
  strides?: number | readonly [number, number];
  padding?: LayerPadding;
}

/** The output shape of a Keras MaxPooling2D / AveragePooling2D layer (channels kept). */
export function poolOutputShape(
  inputShape: LayerShape,
  options: PoolShapeOptions = {},
): (number | null)[] {
  const { batch, h, w, c } = spatial(inputShape);
  const [ph, pw] = pairOf(options.poolSize ?? 2, 'poolSize');
  const [sh, sw] = pairOf(options.strides ?? [ph, pw], 'strides');
  const padding = options.padding ?? 'valid';
  return [
    ...batch,
    convOutputLength(h, ph, { padding, stride: sh }),
    convOutputLength(w, pw, { padding, stride: sw }),
    c,
  ];
}

/** Trainable parameters of a Conv2D layer: (kh·kw·cin + 1)·filters, without the +1 when unbiased. */
export function conv2dParams(options: {
  kernelSize: number | readonly [number, number];
  inChannels: number;
  filters: number;
  useBias?: boolean;
}): number {
  const [kh, kw] = pairOf(options.kernelSize, 'kernelSize');
  const [cin] = pairOf(options.inChannels, 'inChannels');
  const [filters] = pairOf(options.filters, 'filters');
  return (kh * kw * cin + (options.useBias === false ? 0 : 1)) * filters;
}

/** Parameters of a Dense layer: (inputs + 1)·units, without the +1 when unbiased. */
export function denseParams(options: { inputs: number; units: number; useBias?: boolean }): number {
  const [inputs] = pairOf(options.inputs, 'inputs');
  const [units] = pairOf(options.units, 'units');
  return (inputs + (options.useBias === false ? 0 : 1)) * units;
}
