import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  Fill,
  getKernel,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { BackendError } from '../errors.js';

/**
 * Runs another kernel of the 'wasm' backend through the registry, the way the engine would but
 * without recording it on the tape: the training kernels are built from wasm's own fast forward
 * kernels (XNNPACK convolution and matrix multiply, C++ transpose and pad).
 */
export function runWasmKernel(
  kernelName: string,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
  backend: BackendWasm,
): TensorInfo {
  const config = getKernel(kernelName, 'wasm');
  if (config === undefined) {
    throw new BackendError(
      `wasm training kernels: kernel '${kernelName}' is not registered for backend 'wasm'; ` +
        'import @tensorflow/tfjs-backend-wasm before training',
    );
  }
  const out = config.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) {
    throw new BackendError(
      `wasm training kernels: kernel '${kernelName}' returned ${out.length} outputs, expected one`,
    );
  }
  return out;
}

/** A float32 tensor of zeros: the gradient of a convolution that read nothing. */
export function wasmZeros(shape: readonly number[], backend: BackendWasm): TensorInfo {
  return runWasmKernel(Fill, {}, { shape: [...shape], value: 0, dtype: 'float32' }, backend);
}

/** Frees intermediate results; the wasm backend keeps their memory until told. */
export function disposeIntermediates(backend: BackendWasm, infos: readonly TensorInfo[]): void {
  for (const info of infos) {
    backend.disposeData(info.dataId);
  }
}
