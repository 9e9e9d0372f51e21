import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from './errors.js';
import { FusedRMSPropOptimizer } from './rmsprop.js';

/** Keras's optimizer names. */
export type KerasOptimizer = 'rmsprop' | 'adam' | 'sgd' | 'adagrad' | 'adadelta' | 'adamax';

/** Keras's loss names (and their short aliases), mapped to tfjs's camelCase ones. */
export const KERAS_LOSSES = {
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  binary_crossentropy: 'binaryCrossentropy',
  mean_squared_error: 'meanSquaredError',
  mse: 'meanSquaredError',
  mean_absolute_error: 'meanAbsoluteError',
  mae: 'meanAbsoluteError',
  mean_absolute_percentage_error: 'meanAbsolutePercentageError',
  mape: 'meanAbsolutePercentageError',
  mean_squared_logarithmic_error: 'meanSquaredLogarithmicError',
  msle: 'meanSquaredLogarithmicError',
  hinge: 'hinge',
  squared_hinge: 'squaredHinge',
  categorical_hinge: 'categoricalHinge',
  kl_divergence: 'kullbackLeiblerDivergence',
  kullback_leibler_divergence: 'kullbackLeiblerDivergence',
  kld: 'kullbackLeiblerDivergence',
  poisson: 'poisson',
  log_cosh: 'logcosh',
  logcosh: 'logcosh',
} as const;

export type KerasLoss = keyof typeof KERAS_LOSSES;

type MetricFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/**
 * Keras's metric names, mapped to what tfjs's compile takes. 'accuracy' and 'acc' stay as they
 * are: tfjs then picks binary, categorical or sparse accuracy from the loss, as Keras does, and
 * logs it as `acc`. Functions stand in where tfjs has no string for a metric.
 */
export const KERAS_METRICS: Readonly<Record<string, string | MetricFn>> = {
  accuracy: 'accuracy',
  acc: 'acc',
  categorical_accuracy: 'categoricalAccuracy',
  binary_accuracy: 'binaryAccuracy',
  sparse_categorical_accuracy: tfl.metrics.sparseCategoricalAccuracy,
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  binary_crossentropy: tfl.metrics.binaryCrossentropy,
  precision: 'precision',
  recall: tfl.metrics.recall,
  mean_squared_error: 'mse',
  mse: 'mse',
  mean_absolute_error: 'mae',
  mae: 'mae',
  mean_absolute_percentage_error: 'mape',
  mape: 'mape',
  cosine_proximity: 'cosine',
};

export type KerasMetric =
  | 'accuracy'
  | 'acc'
  | 'categorical_accuracy'
  | 'binary_accuracy'
  | 'sparse_categorical_accuracy'
  | 'categorical_crossentropy'
  | 'sparse_categorical_crossentropy'
  | 'binary_crossentropy'
  | 'precision'
  | 'recall'
  | 'mean_squared_error'
  | 'mse'
  | 'mean_absolute_error'
  | 'mae'
  | 'mean_absolute_percentage_error'
  | 'mape'
  | 'cosine_proximity';

export interface CompileLikeOptions {
  /** A Keras name (with Keras's default settings) or a tfjs Optimizer; default 'rmsprop'. */
  optimizer?: KerasOptimizer | tf.Optimizer;
  /** Overrides the named optimizer's default learning rate. */
  learningRate?: number;
  /** A Keras loss name; default 'categorical_crossentropy'. */
  loss?: KerasLoss;
  /** Keras metric names; default ['accuracy']. */
  metrics?: readonly KerasMetric[];
}

// tf.keras's defaults, which differ from tfjs's own string shortcuts for adagrad, adadelta and
// adamax (tfjs kept the older Keras values); epsilon 1e-7 as in tf.keras.
const OPTIMIZERS: Record<KerasOptimizer, (learningRate?: number) => tf.Optimizer> = {
  // tfjs's rmsprop, one kernel a variable where the backend has it (see FusedRMSPropOptimizer).
  rmsprop: (lr = 0.001) => new FusedRMSPropOptimizer(lr, 0.9, 0, 1e-7),
  adam: (lr = 0.001) => tf.train.adam(lr, 0.9, 0.999, 1e-7),
  sgd: (lr = 0.01) => tf.train.sgd(lr),
  adagrad: (lr = 0.001) => tf.train.adagrad(lr, 0.1),
  adadelta: (lr = 0.001) => tf.train.adadelta(lr, 0.95, 1e-7),
  adamax: (lr = 0.001) => tf.train.adamax(lr, 0.9, 0.999, 1e-7, 0),
};

function lookup<V>(table: Readonly<Record<string, V>>, name: unknown, argument: string): V {
  if (typeof name !== 'string' || !Object.hasOwn(table, name)) {
    throw new ModelError(
      `${argument} is ${JSON.stringify(name)}; expected one of Keras's names: ${Object.keys(table).join(', ')}`,
      { source: argument },
    );
  }
  return table[name];
}

/**
 * `model.compile` with Keras's names: `compileLike(model, { optimizer: 'rmsprop', loss:
 * 'categorical_crossentropy', metrics: ['accuracy'] })`, the workshop's call. Returns the model.
 */
export function compileLike<M extends tfl.LayersModel>(
  model: M,
  options: CompileLikeOptions = {},
): M {
  const { optimizer = 'rmsprop', learningRate } = options;
  if (learningRate !== undefined && !(typeof learningRate === 'number' && learningRate > 0)) {
    throw new ModelError(`learningRate is ${learningRate}; expected a number > 0`, {
      source: 'learningRate',
    });
  }
  let tfOptimizer: tf.Optimizer;
  if (typeof optimizer === 'string') {
    if (!Object.hasOwn(OPTIMIZERS, optimizer)) {
      throw new ModelError(
        `optimizer is ${JSON.stringify(optimizer)}; expected one of ${Object.keys(OPTIMIZERS).join(', ')} or a tf.Optimizer`,
        { source: 'optimizer' },
      );
    }
    tfOptimizer = OPTIMIZERS[optimizer](learningRate);
  } else if (optimizer instanceof tf.Optimizer) {
    tfOptimizer = optimizer;
  } else {
    throw new ModelError('optimizer is not a Keras optimizer name or a tf.Optimizer', {
      source: 'optimizer',
    });
  }
  const loss = lookup(KERAS_LOSSES, options.loss ?? 'categorical_crossentropy', 'loss');
  const metrics = (options.metrics ?? ['accuracy']).map((m, i) =>
    lookup(KERAS_METRICS, m, `metrics[${i}]`),
  );
  model.compile({ optimizer: tfOptimizer, loss, metrics });
  return model;
}
