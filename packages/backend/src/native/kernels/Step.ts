import { type KernelConfig, Step, type StepAttrs } from '@tensorflow/tfjs-core';
import { unaryKernel } from '../elementwise-utils.js';
import { NATIVE_BACKEND_NAME, UnaryOp } from '../kernel-utils.js';

/** x > 0 ? 1 : alpha (NaN stays NaN); the Relu gradient is dy * step(x). */
export const stepConfig: KernelConfig = {
  kernelName: Step,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: unaryKernel<StepAttrs>(Step, UnaryOp.step, (attrs) => attrs.alpha),
};
