import type { KernelConfig } from '@tensorflow/tfjs-core';
import { BackendError } from '../errors.js';

/**
 * tfjs-backend-wasm's own configs for the kernels we replace but still delegate to (BatchMatMul
 * keeps upstream's XNNPACK path for untransposed operands). Filled by registerWasmTrainingKernels
 * just before it replaces them.
 */
const upstreamConfigs = new Map<string, KernelConfig>();

export function rememberUpstreamKernel(config: KernelConfig): void {
  upstreamConfigs.set(config.kernelName, config);
}

export function findUpstreamKernel(kernelName: string): KernelConfig | undefined {
  return upstreamConfigs.get(kernelName);
}

export function upstreamKernel(kernelName: string): KernelConfig {
  const config = upstreamConfigs.get(kernelName);
  if (config === undefined) {
    throw new BackendError(
      `wasm training kernels: no upstream '${kernelName}' kernel to delegate to; import ` +
        '@tensorflow/tfjs-backend-wasm before calling registerWasmTrainingKernels()',
    );
  }
  return config;
}
