import { type KernelConfig, Sqrt } from '@tensorflow/tfjs-core';
import { unaryKernel } from '../elementwise-utils.js';
import { NATIVE_BACKEND_NAME, UnaryOp } from '../kernel-utils.js';

export const sqrtConfig: KernelConfig = {
  kernelName: Sqrt,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: unaryKernel(Sqrt, UnaryOp.sqrt),
};
