import {
  backend_util,
  type KernelConfig,
  Sum,
  type SumAttrs,
  type TensorInfo,
  util,
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

const fallback = cpuKernel(Sum);

/**
 * float32 sums over one contiguous run of axes (a bias gradient's leading axes, a loss's last
 * axis), in double like the cpu kernel, without its transpose; other axis sets use the cpu kernel.
 */
export function sum(args: KernelArgs<Inputs<'x'>, SumAttrs>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const { axis, keepDims } = attrs;
  const xValues = floats(backend, x);
  if (!xValues || xValues.length === 0) return fallback(args);
  const axes = [...new Set(util.parseAxisParam(axis, x.shape))].sort((p, q) => p - q);
  if (axes.length === 0 || axes[axes.length - 1] - axes[0] !== axes.length - 1) {
    return fallback(args);
  }
  const lo = axes[0];
  const hi = axes[axes.length - 1];
  const outer = util.sizeFromShape(x.shape.slice(0, lo));
  const reduce = util.sizeFromShape(x.shape.slice(lo, hi + 1));
  const inner = util.sizeFromShape(x.shape.slice(hi + 1));
  const out = allocate(backend, outer * inner);
  native().sum(xValues, outer, reduce, inner, out);
  const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
  const shape = keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
  return output(backend, shape, out);
}

export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: asKernelFunc(sum),
};
