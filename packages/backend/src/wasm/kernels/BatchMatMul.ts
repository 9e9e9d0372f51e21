import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  BatchMatMul,
  type BatchMatMulAttrs,
  type KernelConfig,
  type TensorInfo,
  Transpose,
} from '@tensorflow/tfjs-core';
import { asKernelFunc } from '../../as-kernel-func.js';
import { disposeIntermediates, runWasmKernel } from '../run-wasm-kernel.js';
import { findUpstreamKernel, upstreamKernel } from '../upstream-kernels.js';

interface BatchMatMulArgs {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: BackendWasm;
  attrs: BatchMatMulAttrs;
}

/**
 * Upstream's BatchMatMul runs XNNPACK only for untransposed operands and falls back to a scalar
 * loop otherwise, yet every dense layer's backward pass multiplies by a transpose (dW = xᵀ·dy,
 * dx = dy·Wᵀ): 183 ms of a 230 ms step of the workshop's dense network. Transposing the operand
 * first costs one pass over it, then upstream's fast path does the product.
 */
export function batchMatMul(args: BatchMatMulArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  let { a, b } = inputs;
  const untransposed = { transposeA: false, transposeB: false };
  const fast = upstreamKernel(BatchMatMul).kernelFunc;
  if (!attrs.transposeA && !attrs.transposeB) {
    return fast({ inputs: { a, b }, backend, attrs: untransposed }) as TensorInfo;
  }
  const temps: TensorInfo[] = [];
  try {
    if (attrs.transposeA) {
      a = runWasmKernel(Transpose, { x: a }, { perm: swapLastTwo(a.shape.length) }, backend);
      temps.push(a);
    }
    if (attrs.transposeB) {
      b = runWasmKernel(Transpose, { x: b }, { perm: swapLastTwo(b.shape.length) }, backend);
      temps.push(b);
    }
    return fast({ inputs: { a, b }, backend, attrs: untransposed }) as TensorInfo;
  } finally {
    disposeIntermediates(backend, temps);
  }
}

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  // Upstream's setup binds its C++ entry point, which the fast path still calls.
  setupFunc: (backend) => findUpstreamKernel(BatchMatMul)?.setupFunc?.(backend),
  kernelFunc: asKernelFunc(batchMatMul),
};
