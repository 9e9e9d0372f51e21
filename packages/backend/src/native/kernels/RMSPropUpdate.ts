import { RMSPROP_UPDATE, type RMSPropUpdateAttrs } from '@cnnlab/core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { asKernelFunc } from '../../as-kernel-func.js';
import {
  allocate,
  floats,
  type Inputs,
  type KernelArgs,
  NATIVE_BACKEND_NAME,
  native,
  output,
} from '../kernel-utils.js';

type RMSPropInputs = Inputs<'variable' | 'gradient' | 'meanSquare' | 'moment'>;

/**
 * One RMSprop step of a variable in one native pass: the new variable, mean square and moment
 * (three outputs), rounded as tfjs's RMSPropOptimizer's fifteen ops round them.
 */
export function rmspropUpdate(args: KernelArgs<RMSPropInputs, RMSPropUpdateAttrs>): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { variable, gradient, meanSquare, moment } = inputs;
  const values = [variable, gradient, meanSquare, moment].map((t) => floats(backend, t));
  const [v, g, ms, mom] = values;
  const n = v?.length ?? 0;
  if (!v || !g || !ms || !mom || values.some((x) => x?.length !== n)) {
    // The optimizer asks for this kernel only with four float32 tensors of one shape.
    throw new Error(
      `${RMSPROP_UPDATE}: expected float32 variable, gradient, meanSquare and moment of one shape`,
    );
  }
  const out = [allocate(backend, n), allocate(backend, n), allocate(backend, n)] as const;
  const { learningRate, decay, momentum, epsilon } = attrs;
  // 1 - decay in double, as tfjs computes it before making it a float32 scalar.
  native().rmspropUpdate(v, g, ms, mom, ...out, learningRate, decay, 1 - decay, momentum, epsilon);
  return out.map((values) => output(backend, variable.shape, values));
}

export const rmspropUpdateConfig: KernelConfig = {
  kernelName: RMSPROP_UPDATE,
  backendName: NATIVE_BACKEND_NAME,
  kernelFunc: asKernelFunc(rmspropUpdate),
};
