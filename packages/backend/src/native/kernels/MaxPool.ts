import {
  backend_util,
  type KernelConfig,
  MaxPool,
  type MaxPoolAttrs,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { asKernelFunc } from '../../as-kernel-func.js';
import {
  allocate,
  cpuKernel,
  floats,
  geometry,
  type Inputs,
  type KernelArgs,
  NATIVE_BACKEND_NAME,
  native,
  nonEmpty,
  output,
} from '../kernel-utils.js';

const fallback = cpuKernel(MaxPool);

/** NHWC max pooling, channels innermost, threads over images. */
export function maxPool(args: KernelArgs<Inputs<'x'>, MaxPoolAttrs>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const xValues = floats(backend, x);
  if (!xValues || x.shape.length !== 4) return fallback(args);
  // The cpu kernel asserts this; let it throw its own error.
  if (!backend_util.eitherStridesOrDilationsAreOne(strides, 1)) return fallback(args);
  const info = backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  if (!nonEmpty(info)) return fallback(args);
  const y = allocate(backend, util.sizeFromShape(info.outShape));
  native().maxPool(xValues, y, geometry(info));
  return output(backend, info.outShape, y);
}

export const maxPoolConfig: KernelConfig = {
  kernelName: MaxPool,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: asKernelFunc(maxPool),
};
