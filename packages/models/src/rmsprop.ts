import { RMSPROP_UPDATE, type RMSPropUpdateAttrs } from '@cnnlab/core';
import * as tf from '@tensorflow/tfjs-core';

/** tfjs does not export its NamedTensor type: take it from the Optimizer's own signature. */
type NamedTensor = Parameters<tf.Optimizer['setWeights']>[0][number];

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/**
 * tfjs's RMSprop (non-centred: `ms = decay·ms + (1 − decay)·g²`, `mom = momentum·mom +
 * lr·g / √(ms + ε)`, `w −= mom`) that updates each variable with one kernel where the backend
 * has cnnlab's RMSPropUpdate (the native backend), instead of tfjs's fifteen ops a variable, and
 * with the same ops as tfjs elsewhere. Same numbers either way; saved and restored as tfjs's
 * `RMSPropOptimizer` (same class name, config and weight order).
 */
export class FusedRMSPropOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'RMSProp';
  }
  private meanSquares: Slot[] = [];
  private moments: Slot[] = [];

  constructor(
    public learningRate: number,
    public readonly decay = 0.9,
    public readonly momentum = 0,
    public readonly epsilon = 1e-7,
  ) {
    super();
    if (!(learningRate > 0)) throw new Error(`learningRate is ${learningRate}; expected > 0`);
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((item) => item.name)
      : Object.keys(variableGradients);
    const fused = tf.getKernel(RMSPROP_UPDATE, tf.getBackend()) !== undefined;
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      const gradient = Array.isArray(variableGradients)
        ? variableGradients[i]?.tensor
        : variableGradients[name];
      if (!value || gradient == null) return;
      const slot = (slots: Slot[], suffix: string) => {
        slots[i] ??= {
          originalName: `${name}/${suffix}`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        return slots[i].variable;
      };
      const meanSquare = slot(this.meanSquares, 'rms');
      const moment = slot(this.moments, 'momentum');
      tf.tidy(() => {
        const [w, ms, mom] = fused
          ? this.fusedStep(value, gradient, meanSquare, moment)
          : this.opsStep(value, gradient, meanSquare, moment);
        meanSquare.assign(ms);
        moment.assign(mom);
        value.assign(w);
      });
    });
    this.incrementIterations();
  }

  private fusedStep(
    variable: tf.Tensor,
    gradient: tf.Tensor,
    meanSquare: tf.Tensor,
    moment: tf.Tensor,
  ): tf.Tensor[] {
    const attrs: RMSPropUpdateAttrs & tf.NamedAttrMap = {
      learningRate: this.learningRate,
      decay: this.decay,
      momentum: this.momentum,
      epsilon: this.epsilon,
    };
    return tf
      .engine()
      .runKernel(RMSPROP_UPDATE, { variable, gradient, meanSquare, moment }, attrs) as tf.Tensor[];
  }

  /** tfjs's own sequence of ops, for backends without the fused kernel. */
  private opsStep(
    variable: tf.Tensor,
    gradient: tf.Tensor,
    meanSquare: tf.Tensor,
    moment: tf.Tensor,
  ): tf.Tensor[] {
    const ms = tf.add(tf.mul(meanSquare, this.decay), tf.mul(tf.square(gradient), 1 - this.decay));
    const step = tf.div(tf.mul(gradient, this.learningRate), tf.sqrt(tf.add(ms, this.epsilon)));
    const mom = tf.add(tf.mul(moment, this.momentum), step);
    return [tf.sub(variable, mom), ms, mom];
  }

  override dispose(): void {
    tf.dispose([...this.meanSquares, ...this.moments].map((s) => s.variable));
    this.meanSquares = [];
    this.moments = [];
  }

  override async getWeights(): Promise<NamedTensor[]> {
    // tfjs's order: iterations, then every mean square, then every moment.
    return [
      await this.saveIterations(),
      ...[...this.meanSquares, ...this.moments].map((s) => ({
        name: s.originalName,
        tensor: s.variable,
      })),
    ];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const values = await this.extractIterations(weightValues);
    const count = values.length / 2;
    const slots = (from: number) =>
      values.slice(from, from + count).map((v) => ({
        originalName: v.name,
        variable: v.tensor.variable(false),
      }));
    this.meanSquares = slots(0);
    this.moments = slots(count);
  }

  getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      decay: this.decay,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: false,
    };
  }
}
