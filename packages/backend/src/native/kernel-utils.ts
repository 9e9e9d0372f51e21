import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  backend_util,
  getKernel,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import type { TypedKernelArgs } from '../as-kernel-func.js';
import { loadAddon, type NativeAddon } from './addon.js';
import { NativeBackend } from './backend.js';

export const NATIVE_BACKEND_NAME = 'cnnlab-native';

/** Activation codes of the addon's fused kernels. */
export const Activation = { linear: 0, relu: 1, relu6: 2, leakyrelu: 3 } as const;
/** Unary op codes of the addon. */
export const UnaryOp = {
  relu: 0,
  relu6: 1,
  step: 2,
  square: 3,
  sqrt: 4,
  leakyRelu: 5,
  floor: 6,
} as const;
/** Binary op codes of the addon. */
export const BinaryOp = { add: 0, sub: 1, mul: 2, div: 3 } as const;

/** A kernel's required tensor inputs by name (tfjs types them all as possibly undefined). */
export type Inputs<K extends string> = Record<K, TensorInfo>;

/** Arguments every kernel function receives. */
export type KernelArgs<I, A = NamedAttrMap> = TypedKernelArgs<I, MathBackendCPU, A>;

/** The loaded addon; kernels are registered only once it loaded, so this cannot fail then. */
export function native(): NativeAddon {
  const load = loadAddon();
  if (!load.ok) throw new Error(`cnnlab-native: ${load.reason}`);
  return load.addon;
}

/**
 * The cpu backend's own kernel, for the cases the addon does not cover (other dtypes, NCHW,
 * exotic activations or broadcasts): slower, never wrong.
 */
export function cpuKernel(kernelName: string): (args: unknown) => TensorInfo {
  // Looked up on first use, so kernel modules may be evaluated before the cpu backend's.
  let kernel: KernelFunc | undefined;
  return (args) => {
    if (!kernel) {
      const config = getKernel(kernelName, 'cpu');
      if (!config) throw new Error(`cnnlab-native: the cpu backend has no ${kernelName} kernel`);
      kernel = config.kernelFunc;
    }
    return kernel(args as Parameters<KernelFunc>[0]) as TensorInfo;
  };
}

/** The Float32Array behind a float32 tensor, or null when it is anything else. */
export function floats(backend: MathBackendCPU, t: TensorInfo): Float32Array | null {
  if (t.dtype !== 'float32') return null;
  const values = backend.data.get(t.dataId)?.values;
  return values instanceof Float32Array && values.length === util.sizeFromShape(t.shape)
    ? values
    : null;
}

/**
 * A float32 output array of `length` elements, recycled when possible: its contents are
 * arbitrary, so the kernel must overwrite all of it.
 */
export function allocate(backend: MathBackendCPU, length: number): Float32Array {
  return backend instanceof NativeBackend ? backend.pool.take(length) : new Float32Array(length);
}

/** Wraps a freshly computed array as the kernel's output tensor (no copy). */
export function output(backend: MathBackendCPU, shape: number[], values: Float32Array): TensorInfo {
  return backend.makeTensorInfo(shape, 'float32', values);
}

/** The geometry array the addon's convolution and pooling functions take. */
export function geometry(info: backend_util.Conv2DInfo): Int32Array {
  return Int32Array.from([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
  ]);
}

/** True when every size in the geometry is positive (empty tensors go to the cpu kernels). */
type ConvArgs = Parameters<typeof backend_util.computeConv2DInfo>;

/**
 * The NHWC geometry of a convolution the addon can run, or null to leave it to the cpu kernel:
 * empty tensors, and a filter whose input channels differ from x's (the cpu kernel throws
 * tfjs's own error for those). Shared by the forward and both gradient kernels.
 */
export function convInfo(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: {
    strides: ConvArgs[2];
    dilations?: ConvArgs[3];
    pad: ConvArgs[4];
    dimRoundingMode?: ConvArgs[5];
  },
): backend_util.Conv2DInfo | null {
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  return nonEmpty(info) && filterShape[2] === info.inChannels ? info : null;
}

export function nonEmpty(info: backend_util.Conv2DInfo): boolean {
  return (
    info.batchSize > 0 &&
    info.inHeight > 0 &&
    info.inWidth > 0 &&
    info.inChannels > 0 &&
    info.outHeight > 0 &&
    info.outWidth > 0 &&
    info.outChannels > 0
  );
}

/**
 * How a fused kernel's bias broadcasts onto its [rows, columns] output: 'column' for one value
 * per output channel (shape [c] or [1, ..., c]), 'scalar' for a single value, null otherwise.
 */
export function biasLayout(
  bias: TensorInfo,
  columns: number,
  outRank: number,
): 'column' | 'scalar' | null {
  if (bias.shape.length > outRank) return null;
  const size = util.sizeFromShape(bias.shape);
  if (size === 1) return 'scalar';
  const last = bias.shape.length - 1;
  if (size === columns && bias.shape.every((d, i) => i === last || d === 1)) return 'column';
  return null;
}

/** The addon's code for a fused activation, or null when only the cpu kernel has it. */
export function activationCode(activation: string | undefined | null): number | null {
  switch (activation ?? 'linear') {
    case 'linear':
      return Activation.linear;
    case 'relu':
      return Activation.relu;
    case 'relu6':
      return Activation.relu6;
    case 'leakyrelu':
      return Activation.leakyrelu;
    default:
      return null;
  }
}
