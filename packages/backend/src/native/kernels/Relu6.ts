import { type KernelConfig, Relu6 } from '@tensorflow/tfjs-core';
import { unaryKernel } from '../elementwise-utils.js';
import { NATIVE_BACKEND_NAME, UnaryOp } from '../kernel-utils.js';

export const relu6Config: KernelConfig = {
  kernelName: Relu6,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: unaryKernel(Relu6, UnaryOp.relu6),
};
