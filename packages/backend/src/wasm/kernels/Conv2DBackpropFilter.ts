import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  BatchMatMul,
  type backend_util,
  Conv2D,
  Conv2DBackpropFilter,
  type KernelConfig,
  Reshape,
  Slice,
  type TensorInfo,
  Transpose,
} from '@tensorflow/tfjs-core';
import { asKernelFunc } from '../../as-kernel-func.js';
import {
  type ConvGradAttrs,
  type ConvGradMethod,
  forwardConvInfo,
  hasNoOutput,
} from '../conv-attrs.js';
import { extractPatches } from '../im2col.js';
import { disposeIntermediates, runWasmKernel, wasmZeros } from '../run-wasm-kernel.js';

interface Conv2DBackpropFilterArgs {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: ConvGradAttrs & { filterShape: [number, number, number, number] };
}

/**
 * dW[kh, kw, c, k] = Σ over n, oh, ow of x[n, oh·sh + kh·dh − top, ow·sw + kw·dw − left, c] ·
 * dy[n, oh, ow, k]: a matrix product whose inner dimension, n·oh·ow, is large. XNNPACK repacks
 * one operand on every call, and that repacking dominated when dy was the larger one, so the
 * method is picked by which operand is cheaper to pack (measured on the workshop CNN: the
 * first layer's gradient took 9 ms by convolution, 5 ms by matmul).
 */
export function conv2DBackpropFilter(args: Conv2DBackpropFilterArgs): TensorInfo {
  return conv2DBackpropFilterBy('auto', args);
}

/** The filter gradient by the given method ('auto': the cheaper one); tests check each. */
export function conv2DBackpropFilterBy(
  method: ConvGradMethod | 'auto',
  args: Conv2DBackpropFilterArgs,
): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const info = forwardConvInfo(Conv2DBackpropFilter, x.shape, attrs.filterShape, attrs);
  if (hasNoOutput(info)) return wasmZeros(attrs.filterShape, backend);
  const chosen = method === 'auto' ? cheaperMethod(info) : method;
  return chosen === 'conv' ? byConvolution(x, dy, info, backend) : byMatMul(x, dy, info, backend);
}

/** Packs whichever of dy (K columns) and the patches (KH·KW·C columns) is narrower. */
function cheaperMethod(info: backend_util.Conv2DInfo): ConvGradMethod {
  return info.filterHeight * info.filterWidth * info.inChannels < info.outChannels
    ? 'matmul'
    : 'conv';
}

/**
 * Read with the batch as channels, the sum is one forward convolution: the input x as
 * [C, H, W, N], the filter dy as [OH, OW, N, K], the forward dilation as its stride and the
 * forward stride as its dilation; its output [C, KH, KW, K] is dW up to a transpose.
 */
function byConvolution(
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
  backend: BackendWasm,
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, padInfo } = info;
  // The last input row and column the forward pass read; anything after it is left out, since
  // the convolution below cannot take negative padding.
  const lastRow =
    (outHeight - 1) * info.strideHeight +
    (info.filterHeight - 1) * info.dilationHeight -
    padInfo.top;
  const lastCol =
    (outWidth - 1) * info.strideWidth + (info.filterWidth - 1) * info.dilationWidth - padInfo.left;
  const usedHeight = Math.min(inHeight, lastRow + 1);
  const usedWidth = Math.min(inWidth, lastCol + 1);
  if (usedHeight <= 0 || usedWidth <= 0) {
    // Every tap fell into padding.
    return wasmZeros(info.filterShape, backend);
  }

  const temps: TensorInfo[] = [];
  try {
    let xUsed = x;
    if (usedHeight < inHeight || usedWidth < inWidth) {
      xUsed = runWasmKernel(
        Slice,
        { x },
        { begin: [0, 0, 0, 0], size: [batchSize, usedHeight, usedWidth, inChannels] },
        backend,
      );
      temps.push(xUsed);
    }
    const xT = runWasmKernel(Transpose, { x: xUsed }, { perm: [3, 1, 2, 0] }, backend);
    temps.push(xT);
    const dyT = runWasmKernel(Transpose, { x: dy }, { perm: [1, 2, 0, 3] }, backend);
    temps.push(dyT);
    const dwT = runWasmKernel(
      Conv2D,
      { x: xT, filter: dyT },
      {
        strides: [info.dilationHeight, info.dilationWidth],
        dilations: [info.strideHeight, info.strideWidth],
        pad: [
          [0, 0],
          [padInfo.top, lastRow + 1 - usedHeight],
          [padInfo.left, lastCol + 1 - usedWidth],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      },
      backend,
    );
    temps.push(dwT);
    return runWasmKernel(Transpose, { x: dwT }, { perm: [1, 2, 0, 3] }, backend);
  } finally {
    disposeIntermediates(backend, temps);
  }
}

/**
 * dWᵀ [K, KH·KW·C] = dyᵀ [K, M] · patches(x) [M, KH·KW·C], with M = N·OH·OW. The patches are the
 * operand XNNPACK packs, which is cheap when KH·KW·C is small (a first layer on 1 or 3
 * channels), where packing dy would cost more than the product itself.
 */
function byMatMul(
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
  backend: BackendWasm,
): TensorInfo {
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const patchSize = info.filterHeight * info.filterWidth * info.inChannels;
  const temps: TensorInfo[] = [];
  try {
    const dyMat = runWasmKernel(Reshape, { x: dy }, { shape: [rows, info.outChannels] }, backend);
    temps.push(dyMat);
    const dyT = runWasmKernel(Transpose, { x: dyMat }, { perm: [1, 0] }, backend);
    temps.push(dyT);
    const patches = backend.makeOutput([rows, patchSize], 'float32');
    temps.push(patches);
    // Views only after the last allocation: growing the wasm memory detaches older ones.
    extractPatches(
      backend.typedArrayFromHeap(x) as Float32Array,
      backend.typedArrayFromHeap(patches) as Float32Array,
      info,
    );
    const dwT = runWasmKernel(
      BatchMatMul,
      { a: dyT, b: patches },
      { transposeA: false, transposeB: false },
      backend,
    );
    temps.push(dwT);
    const dwMat = runWasmKernel(Transpose, { x: dwT }, { perm: [1, 0] }, backend);
    temps.push(dwMat);
    return runWasmKernel(Reshape, { x: dwMat }, { shape: [...info.filterShape] }, backend);
  } finally {
    disposeIntermediates(backend, temps);
  }
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: asKernelFunc(conv2DBackpropFilter),
};
