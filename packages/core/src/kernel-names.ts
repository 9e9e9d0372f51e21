/**
 * Kernels of cnnlab's own that tfjs does not have, by name: @cnnlab/models asks for them and
 * uses tfjs's ops where the backend has none; @cnnlab/backend registers them.
 */

/**
 * One RMSprop step of a variable in one kernel (tfjs's update is about 15 ops a variable).
 * Inputs `variable`, `gradient`, `meanSquare`, `moment`; attrs RMSPropUpdateAttrs; outputs the
 * new variable, mean square and moment, rounded as tfjs's RMSPropOptimizer rounds them.
 */
export const RMSPROP_UPDATE = 'CnnlabRMSPropUpdate';

export interface RMSPropUpdateAttrs {
  learningRate: number;
  decay: number;
  momentum: number;
  epsilon: number;
}

/**
 * The filter and bias gradients of a convolution with a bias and a relu (or no) activation, in
 * one pass over dy. Inputs `x` (the convolution's input), `dy` (the gradient of its output) and,
 * for a relu, `y` (its output, whose step masks dy); attrs Conv2DFilterBiasGradAttrs; outputs
 * the filter's gradient and the bias's, as Conv2DBackpropFilter of dy·step(y) and its sum over
 * the batch and pixels give them.
 */
export const CONV2D_FILTER_BIAS_GRAD = 'CnnlabConv2DBackpropFilterBias';

export interface Conv2DFilterBiasGradAttrs {
  strides: [number, number];
  pad: 'valid' | 'same';
  filterShape: [number, number, number, number];
  activation: 'linear' | 'relu';
}
