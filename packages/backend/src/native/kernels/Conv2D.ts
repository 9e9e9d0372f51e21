import {
  Conv2D,
  type Conv2DAttrs,
  type KernelConfig,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { asKernelFunc } from '../../as-kernel-func.js';
import {
  Activation,
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

const fallback = cpuKernel(Conv2D);

/** NHWC float32 convolution as im2col + sgemm; NCHW and other dtypes use the cpu kernel. */
export function conv2D(args: KernelArgs<Inputs<'x' | 'filter'>, Conv2DAttrs>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, filter } = inputs;
  const { dataFormat } = attrs;
  const xValues = floats(backend, x);
  const filterValues = floats(backend, filter);
  if (!xValues || !filterValues || dataFormat === 'NCHW') return fallback(args);
  const info = convInfo(x.shape, filter.shape, attrs);
  if (!info) return fallback(args);
  const y = allocate(backend, util.sizeFromShape(info.outShape));
  native().conv2d(xValues, filterValues, null, y, geometry(info), Activation.linear, 0);
  return output(backend, info.outShape, y);
}

export const conv2DConfig: KernelConfig = {
  kernelName: Conv2D,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: asKernelFunc(conv2D),
};
