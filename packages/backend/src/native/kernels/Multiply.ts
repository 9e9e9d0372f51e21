import { type KernelConfig, Multiply } from '@tensorflow/tfjs-core';
import { binaryKernel } from '../elementwise-utils.js';
import { BinaryOp, NATIVE_BACKEND_NAME } from '../kernel-utils.js';

export const multiplyConfig: KernelConfig = {
  kernelName: Multiply,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: binaryKernel(Multiply, BinaryOp.mul),
};
