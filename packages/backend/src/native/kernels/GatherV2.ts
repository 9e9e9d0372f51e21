import {
  backend_util,
  GatherV2,
  type GatherV2Attrs,
  type KernelConfig,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { asKernelFunc } from '../../as-kernel-func.js';
import {
  allocate,
  cpuKernel,
  type Inputs,
  type KernelArgs,
  NATIVE_BACKEND_NAME,
  output,
} from '../kernel-utils.js';

const fallback = cpuKernel(GatherV2);

/**
 * Gather of float32 or int32 values (batchDims 0) as one contiguous copy a slice: a training
 * batch drawn from the whole data set (64 rows of 784 floats) took the cpu kernel, which indexes
 * every element through a TensorBuffer, about 3 ms; row copies take microseconds. Indices are
 * checked as the cpu kernel checks them; other cases go to it.
 */
export function gatherV2(args: KernelArgs<Inputs<'x' | 'indices'>, GatherV2Attrs>): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, indices } = inputs;
  const batchDims = attrs.batchDims ?? 0;
  const values = backend.data.get(x.dataId)?.values;
  const indexValues = backend.data.get(indices.dataId)?.values;
  if (
    batchDims !== 0 ||
    (x.dtype !== 'float32' && x.dtype !== 'int32') ||
    !(values instanceof Float32Array || values instanceof Int32Array) ||
    values.length !== util.sizeFromShape(x.shape) ||
    !(indexValues instanceof Int32Array)
  ) {
    return fallback(args);
  }
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0] ?? 0;
  const dimSize = x.shape[axis] ?? 0;
  for (const index of indexValues) {
    util.assert(
      index <= dimSize - 1 && index >= 0,
      () => `GatherV2: the index value ${index} is not in [0, ${dimSize - 1}]`,
    );
  }
  const info = backend_util.segment_util.collectGatherOpShapeInfo(
    x as Parameters<typeof backend_util.segment_util.collectGatherOpShapeInfo>[0],
    indices as Parameters<typeof backend_util.segment_util.collectGatherOpShapeInfo>[1],
    axis,
    0,
  );
  const { outerSize, sliceSize } = info;
  const count = indexValues.length;
  const length = outerSize * count * sliceSize;
  const out = x.dtype === 'float32' ? allocate(backend, length) : new Int32Array(length);
  for (let o = 0; o < outerSize; o++) {
    const from = o * dimSize * sliceSize;
    const to = o * count * sliceSize;
    for (let i = 0; i < count; i++) {
      const start = from + (indexValues[i] ?? 0) * sliceSize;
      out.set(values.subarray(start, start + sliceSize), to + i * sliceSize);
    }
  }
  if (out instanceof Float32Array) return output(backend, info.outputShape, out);
  return backend.makeTensorInfo(info.outputShape, x.dtype, out);
}

export const gatherV2Config: KernelConfig = {
  kernelName: GatherV2,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: asKernelFunc(gatherV2),
};
