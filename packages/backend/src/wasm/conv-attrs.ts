import { backend_util } from '@tensorflow/tfjs-core';
import { BackendError } from '../errors.js';

/**
 * How a convolution gradient is computed: as one forward convolution ('conv'), or as a matrix
 * product plus an im2col / col2im pass in JavaScript ('matmul').
 */
export type ConvGradMethod = 'conv' | 'matmul';

type ConvPad = 'valid' | 'same' | number | backend_util.ExplicitPadding;

/** The attributes both convolution gradients share (tfjs's Conv2DBackprop*Attrs). */
export interface ConvGradAttrs {
  strides: [number, number] | number;
  pad: ConvPad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  /** Not part of tfjs's attributes today (its gradients refuse dilation); honoured if present. */
  dilations?: [number, number] | number;
}

/**
 * The geometry of the forward convolution a gradient belongs to. Only NHWC: the wasm backend's
 * forward Conv2D refuses NCHW too, so no NCHW model can reach its gradients.
 */
export function forwardConvInfo(
  kernelName: string,
  inShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvGradAttrs,
): backend_util.Conv2DInfo {
  if (attrs.dataFormat === 'NCHW') {
    throw new BackendError(
      `wasm kernel ${kernelName}: dataFormat 'NCHW' is not supported, expected 'NHWC'`,
    );
  }
  if (inShape.length !== 4 || filterShape.length !== 4) {
    throw new BackendError(
      `wasm kernel ${kernelName}: expected a 4-D input and filter, got shapes ` +
        `[${inShape.join(', ')}] and [${filterShape.join(', ')}]`,
    );
  }
  return backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

/** Whether the forward convolution had no output, so both of its gradients are all zeros. */
export function hasNoOutput(info: backend_util.Conv2DInfo): boolean {
  return info.batchSize === 0 || info.outHeight <= 0 || info.outWidth <= 0;
}
