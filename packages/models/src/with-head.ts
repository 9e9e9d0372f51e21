import * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from './errors.js';
import { LayerNamer } from './names.js';
import { checkClasses, checkInteger, checkRate } from './validate.js';
import { withSeed } from './with-seed.js';

export interface HeadOptions {
  /** Output classes (at least 2). */
  classes: number;
  /** Units of the hidden Dense relu layers, in order; default [256]. */
  hidden?: readonly number[];
  /** Dropout rate after each hidden layer; default 0.5 (0 leaves the layers out). */
  dropout?: number;
  /** How a base's feature maps become a vector: 'flatten' (default), 'avg' or 'max' pooling. */
  pooling?: 'flatten' | 'avg' | 'max';
  /** Activation of the output layer; default 'softmax'. */
  activation?: 'softmax' | 'sigmoid';
  /** Model name; default `${base.name}_head`. */
  name?: string;
  /**
   * Seed of the new head layers' initial weights (the base's are left as they are): the same seed
   * gives bit-identical head weights, another seed other weights. Default: unseeded. See withSeed.
   */
  seed?: number;
}

/**
 * A new model made of `base` (its layers shared, not copied) and a dense classifier on top:
 * Flatten (or global pooling), then Dense relu + Dropout per hidden size, then Dense `classes`.
 * Freeze the base first (`freeze(base)`) to train only the head: transfer learning. Head layers
 * are named as Keras would name them beside the base's (`flatten`, `dense`, `dropout`, …).
 */
export function withHead(base: tfl.LayersModel, options: HeadOptions): tfl.LayersModel {
  if (base.inputs.length !== 1 || base.outputs.length !== 1) {
    throw new ModelError(
      `base "${base.name}" has ${base.inputs.length} inputs and ${base.outputs.length} outputs; withHead expects one of each`,
      { source: 'base' },
    );
  }
  const classes = checkClasses(options?.classes);
  const hidden = (options.hidden ?? [256]).map((units, i) => checkInteger(units, `hidden[${i}]`));
  const dropout = checkRate(options.dropout ?? 0.5, 'dropout');
  const pooling = options.pooling ?? 'flatten';
  if (!['flatten', 'avg', 'max'].includes(pooling)) {
    throw new ModelError(
      `pooling is ${JSON.stringify(pooling)}; expected 'flatten', 'avg' or 'max'`,
      {
        source: 'pooling',
      },
    );
  }
  return withSeed(options.seed, () => {
    const names = new LayerNamer(base.layers.map((layer) => layer.name));
    let x = base.outputs[0];
    const apply = (layer: tfl.layers.Layer) => {
      x = layer.apply(x) as tfl.SymbolicTensor;
    };
    const rank = x.shape.length;
    if (rank === 4 && pooling === 'avg') {
      apply(tfl.layers.globalAveragePooling2d({ name: names.next('global_average_pooling2d') }));
    } else if (rank === 4 && pooling === 'max') {
      apply(tfl.layers.globalMaxPooling2d({ name: names.next('global_max_pooling2d') }));
    } else if (rank > 2) {
      apply(tfl.layers.flatten({ name: names.next('flatten') }));
    }
    for (const units of hidden) {
      apply(tfl.layers.dense({ units, activation: 'relu', name: names.next('dense') }));
      if (dropout > 0) apply(tfl.layers.dropout({ rate: dropout, name: names.next('dropout') }));
    }
    apply(
      tfl.layers.dense({
        units: classes,
        activation: options.activation ?? 'softmax',
        name: names.next('dense'),
      }),
    );
    return tfl.model({
      inputs: base.inputs,
      outputs: x,
      name: options.name ?? `${base.name}_head`,
    });
  });
}
