import {
  BatchMatMul,
  type BatchMatMulAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { asKernelFunc } from '../../as-kernel-func.js';
import {
  Activation,
  cpuKernel,
  floats,
  type Inputs,
  type KernelArgs,
  NATIVE_BACKEND_NAME,
} from '../kernel-utils.js';
import { planMatMul, runMatMul } from '../matmul-utils.js';

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
  return runMatMul(
    backend,
    aValues,
    bValues,
    plan,
    transposeA,
    transposeB,
    null,
    Activation.linear,
    0,
  );
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: asKernelFunc(batchMatMul),
};
