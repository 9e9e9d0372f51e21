import {
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { asKernelFunc } from '../../as-kernel-func.js';
import {
  allocate,
  convInfo,
  cpuKernel,
  floats,
  geometry,
  type Inputs,
  type KernelArgs,
  NATIVE_BACKEND_NAME,
  native,
  output,
} from '../kernel-utils.js';

const fallback = cpuKernel(Conv2DBackpropInput);

/** The input gradient: dy x filter^T (one sgemm per block of rows), then col2im. */
export function conv2DBackpropInput(
  args: KernelArgs<Inputs<'dy' | 'filter'>, Conv2DBackpropInputAttrs>,
): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { inputShape, dataFormat } = attrs;
  const dyValues = floats(backend, dy);
  const filterValues = floats(backend, filter);
  if (!dyValues || !filterValues || dataFormat === 'NCHW') return fallback(args);
  const info = convInfo(inputShape, filter.shape, attrs);
  if (!info || !util.arraysEqual(dy.shape, info.outShape)) return fallback(args);
  const dx = allocate(backend, util.sizeFromShape(info.inShape));
  native().conv2dBackpropInput(dyValues, filterValues, dx, geometry(info));
  return output(backend, info.inShape, dx);
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: asKernelFunc(conv2DBackpropInput),
};
