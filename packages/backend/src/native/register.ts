import {
  findBackend,
  getKernel,
  getKernelsForBackend,
  type KernelConfig,
  registerBackend,
  registerKernel,
} from '@tensorflow/tfjs-core';
import { loadAddon } from './addon.js';
import { NativeBackend } from './backend.js';
import { describeBlas } from './blas-kernels.js';
import { NATIVE_BACKEND_NAME } from './kernel-utils.js';
import { _fusedMatMulConfig } from './kernels/_FusedMatMul.js';
import { addConfig } from './kernels/Add.js';
import { batchMatMulConfig } from './kernels/BatchMatMul.js';
import { conv2DConfig } from './kernels/Conv2D.js';
import { conv2DBackpropFilterConfig } from './kernels/Conv2DBackpropFilter.js';
import { conv2DBackpropFilterBiasConfig } from './kernels/Conv2DBackpropFilterBias.js';
import { conv2DBackpropInputConfig } from './kernels/Conv2DBackpropInput.js';
import { floorConfig } from './kernels/Floor.js';
import { fusedConv2DConfig } from './kernels/FusedConv2D.js';
import { gatherV2Config } from './kernels/GatherV2.js';
import { leakyReluConfig } from './kernels/LeakyRelu.js';
import { maxPoolConfig } from './kernels/MaxPool.js';
import { maxPoolGradConfig } from './kernels/MaxPoolGrad.js';
import { multiplyConfig } from './kernels/Multiply.js';
import { realDivConfig } from './kernels/RealDiv.js';
import { reluConfig } from './kernels/Relu.js';
import { relu6Config } from './kernels/Relu6.js';
import { rmspropUpdateConfig } from './kernels/RMSPropUpdate.js';
import { softmaxConfig } from './kernels/Softmax.js';
import { sqrtConfig } from './kernels/Sqrt.js';
import { squareConfig } from './kernels/Square.js';
import { stepConfig } from './kernels/Step.js';
import { subConfig } from './kernels/Sub.js';
import { sumConfig } from './kernels/Sum.js';

/** The kernels the addon runs; every other cpu kernel is registered unchanged. */
export const nativeKernelConfigs: readonly KernelConfig[] = [
  conv2DConfig,
  fusedConv2DConfig,
  conv2DBackpropInputConfig,
  conv2DBackpropFilterConfig,
  batchMatMulConfig,
  _fusedMatMulConfig,
  maxPoolConfig,
  maxPoolGradConfig,
  reluConfig,
  relu6Config,
  leakyReluConfig,
  stepConfig,
  addConfig,
  subConfig,
  multiplyConfig,
  realDivConfig,
  squareConfig,
  sqrtConfig,
  floorConfig,
  softmaxConfig,
  sumConfig,
  gatherV2Config,
];

/** cnnlab's own kernels: no tfjs kernel has their name (see @cnnlab/core's kernel names). */
export const cnnlabKernelConfigs: readonly KernelConfig[] = [
  rmspropUpdateConfig,
  conv2DBackpropFilterBiasConfig,
];

export type NativeRegistration =
  | {
      ok: true;
      name: 'cnnlab-native';
      threads: number;
      source: string;
      /** The BLAS and its kernel set, e.g. 'OpenBLAS 0.3.21, Cooperlake kernels'. */
      blas: string;
    }
  | { ok: false; reason: string };

let registration: NativeRegistration | undefined;

/**
 * Registers the 'cnnlab-native' backend (the cpu backend with the addon's kernels) with tfjs,
 * without making it the active backend: call `tf.setBackend('cnnlab-native')` for that.
 * Synchronous, idempotent, and never throws: when the addon is missing or does not load, it
 * returns `{ ok: false, reason }` with a one-line reason.
 */
export function registerNativeBackend(): NativeRegistration {
  if (registration) return registration;
  try {
    const load = loadAddon();
    if (!load.ok) {
      registration = { ok: false, reason: load.reason };
      return registration;
    }
    const cpuKernels = getKernelsForBackend('cpu');
    if (cpuKernels.length === 0) {
      registration = {
        ok: false,
        reason:
          'the tfjs cpu backend registered no kernels (is @tensorflow/tfjs-backend-cpu loaded?)',
      };
      return registration;
    }
    if (!findBackend(NATIVE_BACKEND_NAME)) {
      registerBackend(NATIVE_BACKEND_NAME, () => new NativeBackend());
    }
    const natives = new Map(nativeKernelConfigs.map((config) => [config.kernelName, config]));
    for (const config of cpuKernels) {
      if (getKernel(config.kernelName, NATIVE_BACKEND_NAME)) continue;
      registerKernel(
        natives.get(config.kernelName) ?? { ...config, backendName: NATIVE_BACKEND_NAME },
      );
    }
    for (const config of cnnlabKernelConfigs) {
      if (!getKernel(config.kernelName, NATIVE_BACKEND_NAME)) registerKernel(config);
    }
    registration = {
      ok: true,
      name: NATIVE_BACKEND_NAME,
      threads: load.addon.threads(),
      source: load.source,
      blas: describeBlas(load.addon.blasConfig(), process.env.OPENBLAS_CORETYPE),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    registration = {
      ok: false,
      reason: `native backend registration failed (${message.split('\n')[0]})`,
    };
  }
  return registration;
}
