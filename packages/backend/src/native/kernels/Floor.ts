import { Floor, type KernelConfig } from '@tensorflow/tfjs-core';
import { unaryKernel } from '../elementwise-utils.js';
import { NATIVE_BACKEND_NAME, UnaryOp } from '../kernel-utils.js';

/** Dropout's mask (floor of uniform + keep probability) in one native pass. */
export const floorConfig: KernelConfig = {
  kernelName: Floor,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: unaryKernel(Floor, UnaryOp.floor),
};
