import {
  FusedConv2D,
  type FusedConv2DAttrs,
  type KernelConfig,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { asKernelFunc } from '../../as-kernel-func.js';
import {
  activationCode,
  allocate,
  biasLayout,
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

const fallback = cpuKernel(FusedConv2D);

/**
 * Convolution with the bias and activation applied while the output is still in cache.
 * NHWC float32 with a per-channel or scalar bias and a linear / relu / relu6 / leakyrelu
 * activation; prelu, elu, sigmoid, NCHW and odd bias shapes use the cpu kernel.
 */
export function fusedConv2D(
  args: KernelArgs<Inputs<'x' | 'filter'> & { bias?: TensorInfo }, FusedConv2DAttrs>,
): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, filter, bias } = inputs;
  const { dataFormat, activation, leakyreluAlpha } = attrs;
  const act = activationCode(activation);
  const xValues = floats(backend, x);
  const filterValues = floats(backend, filter);
  if (act === null || !xValues || !filterValues || dataFormat === 'NCHW') return fallback(args);
  const info = convInfo(x.shape, filter.shape, attrs);
  if (!info) return fallback(args);
  let biasValues: Float32Array | null = null;
  if (bias) {
    biasValues = floats(backend, bias);
    if (!biasValues || !biasLayout(bias, info.outChannels, info.outShape.length)) {
      return fallback(args);
    }
  }
  const y = allocate(backend, util.sizeFromShape(info.outShape));
  native().conv2d(xValues, filterValues, biasValues, y, geometry(info), act, leakyreluAlpha ?? 0);
  return output(backend, info.outShape, y);
}

export const fusedConv2DConfig: KernelConfig = {
  kernelName: FusedConv2D,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: asKernelFunc(fusedConv2D),
};
