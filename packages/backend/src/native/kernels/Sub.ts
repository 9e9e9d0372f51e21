import { type KernelConfig, Sub } from '@tensorflow/tfjs-core';
import { binaryKernel } from '../elementwise-utils.js';
import { BinaryOp, NATIVE_BACKEND_NAME } from '../kernel-utils.js';

export const subConfig: KernelConfig = {
  kernelName: Sub,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: binaryKernel(Sub, BinaryOp.sub),
};
