import { CONV2D_FILTER_BIAS_GRAD, type Conv2DFilterBiasGradAttrs } from '@cnnlab/core';
import { type KernelConfig, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { asKernelFunc } from '../../as-kernel-func.js';
import {
  allocate,
  convInfo,
  floats,
  geometry,
  type Inputs,
  type KernelArgs,
  NATIVE_BACKEND_NAME,
  native,
  output,
} from '../kernel-utils.js';

/**
 * A fused convolution's filter and bias gradients in one native pass over dy (two outputs):
 * the relu's mask applied block by block, so dy·step(y) is never written out whole.
 */
export function conv2DBackpropFilterBias(
  args: KernelArgs<Inputs<'x' | 'dy' | 'y'>, Conv2DFilterBiasGradAttrs>,
): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x, dy, y } = inputs;
  const { filterShape, activation } = attrs;
  const xValues = floats(backend, x);
  const dyValues = floats(backend, dy);
  const yValues = activation === 'relu' && y ? floats(backend, y) : null;
  const info = xValues && dyValues ? convInfo(x.shape, filterShape, attrs) : null;
  if (
    !xValues ||
    !dyValues ||
    !info ||
    !util.arraysEqual(dy.shape, info.outShape) ||
    (activation === 'relu' && (!yValues || !util.arraysEqual(y?.shape ?? [], dy.shape)))
  ) {
    // @cnnlab/models asks for this kernel only with float32 NHWC tensors of matching shapes.
    throw new Error(
      `${CONV2D_FILTER_BIAS_GRAD}: expected float32 x, dy${activation === 'relu' ? ' and y' : ''} of a convolution's shapes`,
    );
  }
  const dw = allocate(backend, util.sizeFromShape(info.filterShape));
  const db = allocate(backend, info.outChannels);
  native().conv2dBackpropFilterBias(xValues, dyValues, yValues, dw, db, geometry(info));
  return [output(backend, info.filterShape, dw), output(backend, [info.outChannels], db)];
}

export const conv2DBackpropFilterBiasConfig: KernelConfig = {
  kernelName: CONV2D_FILTER_BIAS_GRAD,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: asKernelFunc(conv2DBackpropFilterBias),
};
