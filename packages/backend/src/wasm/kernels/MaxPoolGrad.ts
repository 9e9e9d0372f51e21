import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  type KernelConfig,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { asKernelFunc } from '../../as-kernel-func.js';
import { BackendError } from '../../errors.js';

interface MaxPoolGradArgs {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: BackendWasm;
  attrs: MaxPoolGradAttrs;
}

/**
 * Routes each dy value to the first position of its window (row-major, as tfjs's cpu backend
 * and TensorFlow do) that holds the window's maximum. The forward output gives that maximum, so
 * one pass over x finds it, stopping at the first match. Upstream's wasm kernel rescans every
 * window for every input element, which made it the slowest kernel of a CNN training step; it
 * also hands ties (common after relu) to a different position than the cpu backend.
 *
 * Plain JavaScript over the wasm heap: the work is one compare per input element, which the
 * wasm backend has no kernel to express without several full-size temporaries.
 */
export function maxPoolGrad(args: MaxPoolGradArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input, output } = inputs;
  if (input.shape.length !== 4) {
    throw new BackendError(
      `wasm kernel ${MaxPoolGrad}: expected a 4-D input, got shape [${input.shape.join(', ')}]`,
    );
  }
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const dx = backend.makeOutput(input.shape, 'float32');
  // Views only after the last allocation: growing the wasm memory detaches older ones.
  const dxValues = backend.typedArrayFromHeap(dx) as Float32Array;
  routeToMaxima(
    dxValues,
    backend.typedArrayFromHeap(input) as Float32Array,
    backend.typedArrayFromHeap(output) as Float32Array,
    backend.typedArrayFromHeap(dy) as Float32Array,
    info,
  );
  return dx;
}

function routeToMaxima(
  dx: Float32Array,
  x: Float32Array,
  y: Float32Array,
  dy: Float32Array,
  info: backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rowStep = inWidth * inChannels;
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const r0 = oh * strideHeight - top;
      const rowStart = Math.max(0, r0);
      const rows = Math.min(inHeight, r0 + filterHeight) - rowStart;
      for (let ow = 0; ow < outWidth; ow++, o += inChannels) {
        const c0 = ow * strideWidth - left;
        const colStart = Math.max(0, c0);
        const cols = Math.min(inWidth, c0 + filterWidth) - colStart;
        if (rows <= 0 || cols <= 0) {
          continue;
        }
        const corner = ((n * inHeight + rowStart) * inWidth + colStart) * inChannels;
        const rowsEnd = rows * rowStep;
        const colsEnd = cols * inChannels;
        for (let c = 0; c < inChannels; c++) {
          const max = y[o + c];
          const first = corner + c;
          search: for (let pr = first; pr < first + rowsEnd; pr += rowStep) {
            for (let p = pr; p < pr + colsEnd; p += inChannels) {
              if (x[p] === max) {
                dx[p] += dy[o + c];
                break search;
              }
            }
          }
        }
      }
    }
  }
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: asKernelFunc(maxPoolGrad),
};
