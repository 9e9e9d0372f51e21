import {
  type KernelConfig,
  Softmax,
  type SoftmaxAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { asKernelFunc } from '../../as-kernel-func.js';
import {
  allocate,
  cpuKernel,
  floats,
  type Inputs,
  type KernelArgs,
  NATIVE_BACKEND_NAME,
  native,
  output,
} from '../kernel-utils.js';

const fallback = cpuKernel(Softmax);

/**
 * Softmax over the last axis in one native pass a row, instead of the cpu kernel's six kernels
 * (max, reshape, sub, exp, sum, div): a classifier's output layer, every step.
 */
export function softmax(args: KernelArgs<Inputs<'logits'>, SoftmaxAttrs>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { logits } = inputs;
  const rank = logits.shape.length;
  const dim = attrs.dim === -1 ? rank - 1 : attrs.dim;
  const values = floats(backend, logits);
  // Other axes are the cpu kernel's to refuse, in its own words.
  if (!values || values.length === 0 || dim !== rank - 1) return fallback(args);
  const cols = logits.shape[rank - 1] ?? 1;
  const y = allocate(backend, values.length);
  native().softmax(values, values.length / cols, cols, y);
  return output(backend, logits.shape, y);
}

export const softmaxConfig: KernelConfig = {
  kernelName: Softmax,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: asKernelFunc(softmax),
};
