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
