import { type KernelConfig, Relu } from '@tensorflow/tfjs-core';
import { unaryKernel } from '../elementwise-utils.js';
import { NATIVE_BACKEND_NAME, UnaryOp } from '../kernel-utils.js';

export const reluConfig: KernelConfig = {
  kernelName: Relu,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: unaryKernel(Relu, UnaryOp.relu),
};
