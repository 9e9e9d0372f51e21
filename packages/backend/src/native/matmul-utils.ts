import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { broadcast_util, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { allocate, native, output } from './kernel-utils.js';

/** The sgemm calls a (batched) matrix product needs, or null for what only the cpu kernel does. */
export interface MatMulPlan {
  batch: number;
  m: number;
  n: number;
  k: number;
  aStride: number;
  bStride: number;
  outShape: number[];
}

export function planMatMul(
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): MatMulPlan | null {
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  if (aRank < 2 || bRank < 2) return null;
  const k = transposeA ? a.shape[aRank - 2] : a.shape[aRank - 1];
  const kB = transposeB ? b.shape[bRank - 1] : b.shape[bRank - 2];
  const m = transposeA ? a.shape[aRank - 1] : a.shape[aRank - 2];
  const n = transposeB ? b.shape[bRank - 2] : b.shape[bRank - 1];
  // A mismatch is the cpu kernel's to report, with its own message.
  if (k !== kB || m === 0 || n === 0 || k === 0) return null;
  const aBatch = util.sizeFromShape(a.shape.slice(0, -2));
  const bBatch = util.sizeFromShape(b.shape.slice(0, -2));
  let outer: number[];
  try {
    outer = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch {
    return null;
  }
  const batch = Math.max(aBatch, bBatch);
  // Only equal batches or one side shared by all: the cpu kernel's index arithmetic for other
  // broadcasts is its own.
  if ((aBatch !== bBatch && aBatch !== 1 && bBatch !== 1) || util.sizeFromShape(outer) !== batch) {
    return null;
  }
  return {
    batch,
    m,
    n,
    k,
    aStride: aBatch === 1 && batch > 1 ? 0 : m * k,
    bStride: bBatch === 1 && batch > 1 ? 0 : k * n,
    outShape: [...outer, m, n],
  };
}

/**
 * Runs a planned product in the addon — sgemm per batch, then the bias and activation (an
 * `Activation` code) on each block of rows — and wraps the result as a tensor.
 */
export function runMatMul(
  backend: MathBackendCPU,
  aValues: Float32Array,
  bValues: Float32Array,
  plan: MatMulPlan,
  transposeA: boolean,
  transposeB: boolean,
  bias: Float32Array | null,
  activation: number,
  alpha: number,
): TensorInfo {
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
    bias,
    activation,
    alpha,
  );
  return output(backend, plan.outShape, out);
}
