import {
  BatchMatMul,
  type BatchMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import {
  Activation,
  allocate,
  cpuKernel,
  floats,
  type Inputs,
  type KernelArgs,
  NATIVE_BACKEND_NAME,
  native,
  output,
} from '../kernel-utils.js';
import { planMatMul } from '../matmul-utils.js';

const fallback = cpuKernel(BatchMatMul);

/** tf.matMul and its batched form: sgemm with the transposes as CBLAS flags. */
export function batchMatMul(args: KernelArgs<Inputs<'a' | 'b'>, BatchMatMulAttrs>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  const { transposeA, transposeB } = attrs;
  const aValues = floats(backend, a);
  const bValues = floats(backend, b);
  const plan = aValues && bValues ? planMatMul(a, b, transposeA, transposeB) : null;
  if (!aValues || !bValues || !plan) return fallback(args);
  const out = allocate(backend, util.sizeFromShape(plan.outShape));
  native().batchMatMul(
    aValues,
    bValues,
    out,
    plan.batch,
    plan.m,
    plan.n,
    plan.k,
    transposeA,
    transposeB,
    plan.aStride,
    plan.bStride,
    null,
    Activation.linear,
    0,
  );
  return output(backend, plan.outShape, out);
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
