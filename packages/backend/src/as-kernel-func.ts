import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/** What one kernel function receives, typed: its named inputs, its backend and its attrs. */
export interface TypedKernelArgs<I, B extends KernelBackend, A> {
  inputs: I;
  backend: B;
  attrs: A;
}

/**
 * A kernel function typed with the inputs, backend and attrs it is registered for, as the
 * `kernelFunc` of a tfjs KernelConfig: the same function, not a wrapper.
 */
export function asKernelFunc<
  I extends { [K in keyof I]: TensorInfo },
  B extends KernelBackend,
  A extends object,
>(kernel: (args: TypedKernelArgs<I, B, A>) => TensorInfo | TensorInfo[]): KernelFunc {
  // Cast kept: tfjs's KernelFunc types inputs as maybe undefined, attrs as optional, backend as {}.
  return kernel as KernelFunc;
}
