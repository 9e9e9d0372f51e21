import {
  _FusedMatMul,
  type _FusedMatMulAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { asKernelFunc } from '../../as-kernel-func.js';
import {
  activationCode,
  biasLayout,
  cpuKernel,
  floats,
  type Inputs,
  type KernelArgs,
  NATIVE_BACKEND_NAME,
} from '../kernel-utils.js';
import { planMatMul, runMatMul } from '../matmul-utils.js';

const fallback = cpuKernel(_FusedMatMul);

/**
 * Dense layers: sgemm, then the bias and activation on each block of rows while it is in cache.
 * prelu, elu, sigmoid and biases that are not per-column or scalar use the cpu kernel.
 */
export function fusedMatMul(
  args: KernelArgs<Inputs<'a' | 'b'> & { bias?: TensorInfo }, _FusedMatMulAttrs>,
): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b, bias } = inputs;
  const { transposeA, transposeB, activation, leakyreluAlpha } = attrs;
  const act = activationCode(activation);
  const aValues = floats(backend, a);
  const bValues = floats(backend, b);
  const plan = aValues && bValues ? planMatMul(a, b, transposeA, transposeB) : null;
  if (act === null || !aValues || !bValues || !plan) return fallback(args);
  let biasValues: Float32Array | null = null;
  if (bias) {
    biasValues = floats(backend, bias);
    if (!biasValues || !biasLayout(bias, plan.n, plan.outShape.length)) return fallback(args);
  }
  return runMatMul(
    backend,
    aValues,
    bValues,
    plan,
    transposeA,
    transposeB,
    biasValues,
    act,
    leakyreluAlpha ?? 0,
  );
}

export const _fusedMatMulConfig: KernelConfig = {
  kernelName: _FusedMatMul,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: asKernelFunc(fusedMatMul),
};
