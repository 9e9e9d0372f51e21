import {
  Conv2D,
  getKernel,
  type KernelConfig,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { BackendError } from '../errors.js';
import { batchMatMulConfig } from './kernels/BatchMatMul.js';
import { conv2DBackpropFilterConfig } from './kernels/Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './kernels/Conv2DBackpropInput.js';
import { maxPoolGradConfig } from './kernels/MaxPoolGrad.js';
import { rememberUpstreamKernel } from './upstream-kernels.js';

/**
 * The kernels @cnnlab/backend adds to, or replaces in, tfjs's 'wasm' backend so that it trains
 * the workshop's networks: Conv2DBackpropFilter is missing upstream; upstream's
 * Conv2DBackpropInput and MaxPoolGrad are scalar loops that took most of a CNN training step;
 * upstream's BatchMatMul leaves XNNPACK whenever an operand is transposed, as in every dense
 * layer's backward pass.
 */
export const wasmTrainingKernelConfigs: readonly KernelConfig[] = [
  batchMatMulConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  maxPoolGradConfig,
];

/**
 * Registers the wasm training kernels (browser-safe: no Node built-ins). Idempotent: a kernel
 * already registered as ours is left alone, an upstream one is replaced. Returns the names of
 * the kernels registered or replaced, by this call or an earlier one, so every call answers the
 * same.
 *
 * Import '@tensorflow/tfjs-backend-wasm' first: its own registrations, run later, would
 * replace these again.
 */
export function registerWasmTrainingKernels(): string[] {
  if (getKernel(Conv2D, 'wasm') === undefined) {
    throw new BackendError(
      'registerWasmTrainingKernels: the wasm backend has no kernels registered; import ' +
        "'@tensorflow/tfjs-backend-wasm' first",
    );
  }
  const names: string[] = [];
  for (const config of wasmTrainingKernelConfigs) {
    names.push(config.kernelName);
    const current = getKernel(config.kernelName, config.backendName);
    if (current?.kernelFunc === config.kernelFunc) {
      continue;
    }
    if (current !== undefined) {
      rememberUpstreamKernel(current);
      // registerKernel alone would also replace it, but warns; unregistering first is the
      // documented way to override a kernel.
      unregisterKernel(config.kernelName, config.backendName);
    }
    registerKernel(config);
  }
  return names;
}
