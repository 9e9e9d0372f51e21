import { type KernelConfig, Square } from '@tensorflow/tfjs-core';
import { unaryKernel } from '../elementwise-utils.js';
import { NATIVE_BACKEND_NAME, UnaryOp } from '../kernel-utils.js';

export const squareConfig: KernelConfig = {
  kernelName: Square,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: unaryKernel(Square, UnaryOp.square),
};
