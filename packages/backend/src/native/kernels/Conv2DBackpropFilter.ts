import {
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
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

const fallback = cpuKernel(Conv2DBackpropFilter);

/** The filter gradient: im2col(x)^T x dy, summed over per-thread row ranges. */
export function conv2DBackpropFilter(
  args: KernelArgs<Inputs<'x' | 'dy'>, Conv2DBackpropFilterAttrs>,
): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { dataFormat, filterShape } = attrs;
  const xValues = floats(backend, x);
  const dyValues = floats(backend, dy);
  if (!xValues || !dyValues || dataFormat === 'NCHW') return fallback(args);
  const info = convInfo(x.shape, filterShape, attrs);
  if (!info || !util.arraysEqual(dy.shape, info.outShape)) return fallback(args);
  const dw = allocate(backend, util.sizeFromShape(info.filterShape));
  native().conv2dBackpropFilter(xValues, dyValues, dw, geometry(info));
  return output(backend, info.filterShape, dw);
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: asKernelFunc(conv2DBackpropFilter),
};
