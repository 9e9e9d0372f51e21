import { Add, type KernelConfig } from '@tensorflow/tfjs-core';
import { binaryKernel } from '../elementwise-utils.js';
import { BinaryOp, NATIVE_BACKEND_NAME } from '../kernel-utils.js';

export const addConfig: KernelConfig = {
  kernelName: Add,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: binaryKernel(Add, BinaryOp.add),
};
