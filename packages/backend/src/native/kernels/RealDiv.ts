import { type KernelConfig, RealDiv } from '@tensorflow/tfjs-core';
import { binaryKernel } from '../elementwise-utils.js';
import { BinaryOp, NATIVE_BACKEND_NAME } from '../kernel-utils.js';

export const realDivConfig: KernelConfig = {
  kernelName: RealDiv,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: binaryKernel(RealDiv, BinaryOp.div),
};
