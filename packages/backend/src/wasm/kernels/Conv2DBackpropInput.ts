import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  BatchMatMul,
  type backend_util,
  Conv2D,
  Conv2DBackpropInput,
  type KernelConfig,
  PadV2,
  Reshape,
  Reverse,
  Slice,
  type TensorInfo,
  Transpose,
} from '@tensorflow/tfjs-core';
import { asKernelFunc } from '../../as-kernel-func.js';
import { accumulatePatches } from '../col2im.js';
import {
  type ConvGradAttrs,
  type ConvGradMethod,
  forwardConvInfo,
  hasNoOutput,
} from '../conv-attrs.js';
import { disposeIntermediates, runWasmKernel, wasmZeros } from '../run-wasm-kernel.js';

interface Conv2DBackpropInputArgs {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: BackendWasm;
  attrs: ConvGradAttrs & { inputShape: [number, number, number, number] };
}

/**
 * The input gradient, replacing upstream's scalar loop (60% of a workshop CNN step) with XNNPACK
 * work: either one forward convolution over dy, or a matrix product followed by col2im,
 * whichever does less work for the shape (see cheaperMethod).
 */
export function conv2DBackpropInput(args: Conv2DBackpropInputArgs): TensorInfo {
  return conv2DBackpropInputBy('auto', args);
}

/** The input gradient by the given method ('auto': the cheaper one); tests check each. */
export function conv2DBackpropInputBy(
  method: ConvGradMethod | 'auto',
  args: Conv2DBackpropInputArgs,
): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const info = forwardConvInfo(Conv2DBackpropInput, attrs.inputShape, filter.shape, attrs);
  if (hasNoOutput(info)) return wasmZeros(attrs.inputShape, backend);
  const chosen = method === 'auto' ? cheaperMethod(info) : method;
  return chosen === 'conv'
    ? byConvolution(dy, filter, info, backend)
    : byMatMul(dy, filter, info, backend);
}

/**
 * The convolution computes every input position against the whole filter, zeros included (the
 * padding of a 'valid' forward pass, the holes of a strided one); the matmul computes only the
 * real products but then adds them up in JavaScript, at roughly the cost of 40 multiply-adds
 * per element (measured). Sizes per image; XNNPACK works on 8 columns at a time.
 */
function cheaperMethod(info: backend_util.Conv2DInfo): ConvGradMethod {
  const taps = info.filterHeight * info.filterWidth;
  const patchSize = taps * info.inChannels;
  const convWork =
    info.inHeight * info.inWidth * taps * info.outChannels * roundUp8(info.inChannels);
  const outputs = info.outHeight * info.outWidth;
  const matMulWork = outputs * info.outChannels * roundUp8(patchSize) + 40 * outputs * patchSize;
  return matMulWork < convWork ? 'matmul' : 'conv';
}

function roundUp8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/**
 * dx is the 'full' correlation of dy, spread out by the forward stride (zeros between its rows
 * and columns), with the filter rotated by 180° and its in and out channels swapped, at the
 * forward dilation: one forward convolution.
 */
function byConvolution(
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  backend: BackendWasm,
): TensorInfo {
  const { batchSize, inHeight, inWidth, outHeight, outWidth, outChannels, padInfo } = info;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const temps: TensorInfo[] = [];
  try {
    // Spread dy by the stride: reshape to [N, OH, 1, OW, 1, K] and pad the unit axes, which
    // leaves stride − 1 zeros after every row and column (the trailing ones are harmless).
    let spread = dy;
    let rows = outHeight;
    let cols = outWidth;
    if (sh > 1 || sw > 1) {
      const six = runWasmKernel(
        Reshape,
        { x: dy },
        { shape: [batchSize, outHeight, 1, outWidth, 1, outChannels] },
        backend,
      );
      temps.push(six);
      const padded = runWasmKernel(
        PadV2,
        { x: six },
        {
          paddings: [
            [0, 0],
            [0, 0],
            [0, sh - 1],
            [0, 0],
            [0, sw - 1],
            [0, 0],
          ],
          constantValue: 0,
        },
        backend,
      );
      temps.push(padded);
      rows = outHeight * sh;
      cols = outWidth * sw;
      spread = runWasmKernel(
        Reshape,
        { x: padded },
        { shape: [batchSize, rows, cols, outChannels] },
        backend,
      );
      temps.push(spread);
    }

    // [KH, KW, C, K] → [KH, KW, K, C], then rotated by 180° in space.
    const swapped = runWasmKernel(Transpose, { x: filter }, { perm: [0, 1, 3, 2] }, backend);
    temps.push(swapped);
    const rotated = runWasmKernel(Reverse, { x: swapped }, { dims: [0, 1] }, backend);
    temps.push(rotated);

    // A 'full' correlation pads by the effective filter size − 1 − the forward padding; when the
    // forward padding was larger than that, the pad is negative and becomes a crop of the output.
    const top = info.effectiveFilterHeight - 1 - padInfo.top;
    const left = info.effectiveFilterWidth - 1 - padInfo.left;
    const cropTop = Math.max(0, -top);
    const cropLeft = Math.max(0, -left);
    const padTop = Math.max(0, top);
    const padLeft = Math.max(0, left);
    const padBottom = Math.max(
      0,
      cropTop + inHeight + info.effectiveFilterHeight - 1 - rows - padTop,
    );
    const padRight = Math.max(
      0,
      cropLeft + inWidth + info.effectiveFilterWidth - 1 - cols - padLeft,
    );
    const full = runWasmKernel(
      Conv2D,
      { x: spread, filter: rotated },
      {
        strides: [1, 1],
        dilations: [info.dilationHeight, info.dilationWidth],
        pad: [
          [0, 0],
          [padTop, padBottom],
          [padLeft, padRight],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      },
      backend,
    );
    if (
      cropTop === 0 &&
      cropLeft === 0 &&
      full.shape[1] === inHeight &&
      full.shape[2] === inWidth
    ) {
      return full;
    }
    temps.push(full);
    return runWasmKernel(
      Slice,
      { x: full },
      { begin: [0, cropTop, cropLeft, 0], size: [...info.inShape] },
      backend,
    );
  } finally {
    disposeIntermediates(backend, temps);
  }
}

/**
 * cols [M, KH·KW·C] = dy [M, K] · Wᵀ [K, KH·KW·C] with M = N·OH·OW, then col2im adds each row
 * back onto the input patch it came from. XNNPACK packs only the small filter here.
 */
function byMatMul(
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  backend: BackendWasm,
): TensorInfo {
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const patchSize = info.filterHeight * info.filterWidth * info.inChannels;
  const temps: TensorInfo[] = [];
  try {
    const filterMat = runWasmKernel(
      Reshape,
      { x: filter },
      { shape: [patchSize, info.outChannels] },
      backend,
    );
    temps.push(filterMat);
    const filterT = runWasmKernel(Transpose, { x: filterMat }, { perm: [1, 0] }, backend);
    temps.push(filterT);
    const dyMat = runWasmKernel(Reshape, { x: dy }, { shape: [rows, info.outChannels] }, backend);
    temps.push(dyMat);
    const cols = runWasmKernel(
      BatchMatMul,
      { a: dyMat, b: filterT },
      { transposeA: false, transposeB: false },
      backend,
    );
    temps.push(cols);
    const dx = backend.makeOutput([...info.inShape], 'float32');
    // Views only after the last allocation: growing the wasm memory detaches older ones.
    accumulatePatches(
      backend.typedArrayFromHeap(cols) as Float32Array,
      backend.typedArrayFromHeap(dx) as Float32Array,
      info,
    );
    return dx;
  } finally {
    disposeIntermediates(backend, temps);
  }
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: asKernelFunc(conv2DBackpropInput),
};
