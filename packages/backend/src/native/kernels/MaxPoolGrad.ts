import {
  backend_util,
  type KernelConfig,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
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

const fallback = cpuKernel(MaxPoolGrad);

/**
 * Routes each window's gradient to its first maximum in the input. The saved forward output
 * holds each window's maximum, so the native pass only finds where it is (the cpu kernel
 * recomputes it); without a float output it falls back to the cpu kernel.
 */
export function maxPoolGrad(
  args: KernelArgs<Inputs<'dy' | 'input' | 'output'>, MaxPoolGradAttrs>,
): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input, output: y } = inputs;
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const xValues = floats(backend, input);
  const dyValues = floats(backend, dy);
  const yValues = floats(backend, y);
  if (!xValues || !yValues || !dyValues || input.shape.length !== 4) return fallback(args);
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const outShape = info.outShape;
  if (
    !nonEmpty(info) ||
    !util.arraysEqual(dy.shape, outShape) ||
    !util.arraysEqual(y.shape, outShape)
  )
    return fallback(args);
  const dx = allocate(backend, xValues.length);
  native().maxPoolGradWithOutput(xValues, yValues, dyValues, dx, geometry(info));
  return output(backend, input.shape, dx);
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: asKernelFunc(maxPoolGrad),
};
