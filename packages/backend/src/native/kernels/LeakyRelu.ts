import { type KernelConfig, LeakyRelu, type LeakyReluAttrs } from '@tensorflow/tfjs-core';
import { unaryKernel } from '../elementwise-utils.js';
import { NATIVE_BACKEND_NAME, UnaryOp } from '../kernel-utils.js';

export const leakyReluConfig: KernelConfig = {
  kernelName: LeakyRelu,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: unaryKernel<LeakyReluAttrs>(LeakyRelu, UnaryOp.leakyRelu, (attrs) => attrs.alpha),
};
