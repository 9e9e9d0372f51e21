import {
  broadcast_util,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { asKernelFunc } from '../as-kernel-func.js';
import {
  allocate,
  cpuKernel,
  floats,
  type Inputs,
  type KernelArgs,
  native,
  output,
} from './kernel-utils.js';

/**
 * A float32 unary kernel on the addon; other dtypes go to the cpu kernel. `alphaOf` reads the
 * op's parameter from the kernel's attrs (A: LeakyReluAttrs, StepAttrs, …).
 */
export function unaryKernel<A extends object = NamedAttrMap>(
  kernelName: string,
  op: number,
  alphaOf: (attrs: A) => number = () => 0,
): KernelFunc {
  const fallback = cpuKernel(kernelName);
  const kernel = (args: KernelArgs<Inputs<'x'>, A>): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const x = floats(backend, inputs.x);
    if (!x || x.length === 0) return fallback(args);
    const y = allocate(backend, x.length);
    native().unary(op, x, y, alphaOf(attrs));
    return output(backend, inputs.x.shape, y);
  };
  return asKernelFunc(kernel);
}

/**
 * How `small` broadcasts onto the output shape `out`: as [outer, mid, inner] with small covering
 * the middle block, or null when its non-1 dimensions are not one contiguous run of out's.
 */
export function broadcastLayout(
  out: number[],
  small: number[],
): { outer: number; mid: number; inner: number } | null {
  const rank = out.length;
  if (small.length > rank) return null;
  const padded = [...new Array<number>(rank - small.length).fill(1), ...small];
  let lo = -1;
  let hi = -1;
  for (let i = 0; i < rank; i++) {
    if (padded[i] === 1) continue;
    if (padded[i] !== out[i]) return null;
    if (lo < 0) lo = i;
    hi = i;
  }
  const total = util.sizeFromShape(out);
  if (lo < 0) return { outer: total, mid: 1, inner: 1 };
  for (let i = lo; i <= hi; i++) {
    if (padded[i] !== out[i]) return null;
  }
  const outer = util.sizeFromShape(out.slice(0, lo));
  const mid = util.sizeFromShape(out.slice(lo, hi + 1));
  return { outer, mid, inner: total / (outer * mid) };
}

/**
 * A float32 binary kernel on the addon for equal shapes and for one operand broadcasting over
 * the other (scalars, biases, per-row factors); anything else goes to the cpu kernel.
 */
export function binaryKernel(kernelName: string, op: number): KernelFunc {
  const fallback = cpuKernel(kernelName);
  const kernel = (args: KernelArgs<Inputs<'a' | 'b'>>): TensorInfo => {
    const { inputs, backend } = args;
    const { a, b } = inputs;
    const aValues = floats(backend, a);
    const bValues = floats(backend, b);
    if (!aValues || !bValues) return fallback(args);
    const outShape = broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const size = util.sizeFromShape(outShape);
    if (size === 0) return fallback(args);
    const aIsBig = aValues.length === size;
    const layout = aIsBig ? broadcastLayout(outShape, b.shape) : broadcastLayout(outShape, a.shape);
    if (!layout || (!aIsBig && bValues.length !== size)) return fallback(args);
    const out = allocate(backend, size);
    const [big, small] = aIsBig ? [aValues, bValues] : [bValues, aValues];
    native().binary(op, big, small, !aIsBig, layout.outer, layout.mid, layout.inner, out);
    return output(backend, outShape, out);
  };
  return asKernelFunc(kernel);
}
