import type { Batch, ImageFlow } from '@cnnlab/augment';
import { permutation } from '@cnnlab/core';
import { compileLike, fuseConvForTraining } from '@cnnlab/models';
import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import * as tfl from '@tensorflow/tfjs-layers';
import type { TrainCallback, TrainParams } from './callback.js';
import { ensureBackend } from './ensure-backend.js';
import { TrainError } from './errors.js';
import { HistoryRecorder, type TrainHistory } from './history.js';
import { type ModelShape, modelShape } from './model-shape.js';
import { checkRescale, type LabeledData, type Prepared, prepare } from './prepare.js';
import { type ProgressOptions, progressBar } from './progress.js';
import { terminateOnNaN } from './terminate-on-nan.js';

export interface TrainOptions {
  /** Passes over the training data. Default 1. */
  epochs?: number;
  /** Samples per gradient step. Default 32 (an ImageFlow keeps its own). */
  batchSize?: number;
  /** Data to score after each epoch: a split, tensors `{ xs, ys }` or `[xs, ys]`. */
  validationData?: LabeledData | [tf.Tensor, tf.Tensor];
  /** Holds out this last fraction of the training data for validation, as Keras does. */
  validationSplit?: number;
  /** Reshuffle the training order every epoch. Default true. */
  shuffle?: boolean;
  /** Seed of the shuffling order (weights are initialised when the model is built, not here). */
  seed?: number;
  /** Weight of each class in the loss, e.g. `{ 0: 1, 1: 5 }`. */
  classWeight?: Record<number, number>;
  /** @cnnlab/trainer callbacks, tfjs CustomCallbackArgs objects or tfjs Callback instances. */
  callbacks?: Array<TrainCallback | tfl.Callback | tfl.CustomCallback>;
  /** 0 silent, 1 progress bar (a line per epoch when not a TTY), 2 a line per epoch. Default 1. */
  verbose?: 0 | 1 | 2;
  /** Where the progress goes; default process.stdout. */
  progress?: Omit<ProgressOptions, 'verbose'>;
  /**
   * Factor that brings the pixels to what the model takes, as Keras's `rescale`. Default: what
   * the data declares: 1/255 for integer arrays (bytes), 1 for floats, an ImageFlow's own
   * `pixelScale`; tensors are never rescaled.
   */
  rescale?: number;
  /** 'auto' (default): initBackend unless a backend other than tfjs's 'cpu' is set; 'keep'. */
  backend?: 'auto' | 'keep';
  /**
   * Stop at the first batch whose loss is NaN or infinite and throw a TrainError saying so, as
   * Keras's TerminateOnNaN stops. Default true; false trains on whatever the loss becomes.
   */
  terminateOnNaN?: boolean;
}

/** Training input: a loader split, tensors, or an augmentation flow from @cnnlab/augment. */
export type TrainData = LabeledData | ImageFlow;

function checkInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new TrainError(`${name} is ${value}; expected an integer >= 1`, name);
  }
}

/** The model's workshop defaults, when nobody compiled it. */
function ensureCompiled(model: tfl.LayersModel, notes: string[]): void {
  if (model.optimizer != null) return;
  compileLike(model, {
    optimizer: 'rmsprop',
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
  });
  notes.push(
    'model: was not compiled, so compiled it as the workshop does: rmsprop, categorical cross-entropy, accuracy',
  );
}

/** An endless stream of batches over in-memory tensors, each epoch in a new seeded order. */
function memoryDataset(
  data: Prepared,
  batchSize: number,
  shuffle: boolean,
  seed: number,
): tfd.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }> {
  return tfd.generator(function* () {
    for (let epoch = 0; ; epoch++) {
      const order = shuffle ? permutation(data.n, (seed + epoch * 0x9e3779b1) >>> 0) : undefined;
      for (let start = 0; start < data.n; start += batchSize) {
        const end = Math.min(start + batchSize, data.n);
        if (!order) {
          yield {
            xs: tf.slice(data.xs, start, end - start),
            ys: tf.slice(data.ys, start, end - start),
          };
          continue;
        }
        const idx = tf.tensor1d(Int32Array.from(order.subarray(start, end)), 'int32');
        const batch = { xs: tf.gather(data.xs, idx), ys: tf.gather(data.ys, idx) };
        idx.dispose();
        yield batch;
      }
    }
  });
}

/** An endless stream of a flow's epochs, shaped for the model as its first batch shows. */
function flowStream(
  flow: ImageFlow,
  shape: ModelShape,
  notes: string[],
  rescale?: number,
): tfd.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }> {
  const first = flow.batch(0);
  if (!first.ys) throw new TrainError('data is a flow without labels; expected flow(x, y)', 'data');
  const sample = first.xs.shape.slice(1).reduce((a, b) => a * b, 1);
  if (sample !== shape.inputSize) {
    throw new TrainError(
      `data is a flow of [${first.xs.shape.slice(1).join(', ')}] images; expected the model's input [${shape.input.join(', ')}]`,
      'data',
    );
  }
  const oneHot = first.ys.shape.length === 1;
  const width = oneHot ? shape.classes : first.ys.shape[1];
  if (width !== shape.classes) {
    throw new TrainError(
      `data's labels have ${width} columns; expected ${shape.classes} to fit the model's output`,
      'data.labels',
    );
  }
  // A flow from an older @cnnlab/augment declares no scale: its pixels are taken as given.
  const scale = rescale ?? flow.pixelScale ?? 1;
  if (scale !== 1) {
    notes.push(
      rescale === undefined
        ? "data: the flow's pixels are bytes (its pixelScale); scaled them by 1/255"
        : `data: scaled the flow's pixels by ${rescale} (rescale)`,
    );
  }
  if (oneHot) notes.push(`data: one-hot encoded the flow's labels to ${shape.classes} classes`);
  const toTensors = (batch: Batch) =>
    tf.tidy(() => {
      const b = batch.xs.shape[0];
      const xs = tf.tensor(batch.xs.data, [b, ...shape.input], 'float32');
      const labels = batch.ys as NonNullable<Batch['ys']>;
      const ys = oneHot
        ? tf.oneHot(tf.tensor1d(Int32Array.from(labels.data), 'int32'), shape.classes)
        : tf.tensor2d(labels.data, [b, shape.classes]);
      return { xs: scale === 1 ? xs : tf.mul(xs, scale), ys: tf.cast(ys, 'float32') };
    });
  return tfd.generator(function* () {
    for (;;) for (const batch of flow) yield toTensors(batch);
  });
}

const HOOKS = [
  'onTrainBegin',
  'onTrainEnd',
  'onEpochBegin',
  'onEpochEnd',
  'onBatchBegin',
  'onBatchEnd',
  'onYield',
] as const;

/** tfjs calls a CustomCallback's hooks unbound: bind them so that class-based callbacks work. */
function toCustomCallback(callback: TrainCallback): tfl.CustomCallback {
  const args: Record<string, unknown> = {};
  for (const name of HOOKS) {
    const hook = callback[name];
    if (typeof hook === 'function') args[name] = hook.bind(callback);
  }
  return new tfl.CustomCallback(args as tfl.CustomCallbackArgs);
}

/** Duck-typed, so that a flow from another copy of @cnnlab/augment is recognised too. */
function isFlow(data: unknown): data is ImageFlow {
  const flow = data as ImageFlow | null;
  return (
    typeof flow === 'object' &&
    flow !== null &&
    typeof flow.batch === 'function' &&
    typeof flow.length === 'number' &&
    typeof flow.batchSize === 'number' &&
    typeof (flow as Partial<Iterable<Batch>>)[Symbol.iterator] === 'function'
  );
}

function isTfjsCallback(c: unknown): c is tfl.Callback {
  return c instanceof tfl.Callback || c instanceof tfl.CustomCallback;
}

/**
 * Trains a Layers model like Keras's `fit` (over tfjs's `fitDataset`) on a loader split, tensors
 * or an ImageFlow, and returns Keras's history with timings, the backend and notes of what was
 * done to make the data fit. An uncompiled model is compiled with the workshop's defaults.
 */
export async function train(
  model: tfl.LayersModel,
  data: TrainData,
  options: TrainOptions = {},
): Promise<TrainHistory> {
  const { epochs = 1, batchSize = 32, shuffle = true, verbose = 1 } = options;
  checkInteger(epochs, 'epochs');
  checkInteger(batchSize, 'batchSize');
  const split = options.validationSplit;
  if (split !== undefined && !(split > 0 && split < 1)) {
    throw new TrainError(
      `validationSplit is ${split}; expected a fraction in (0, 1)`,
      'validationSplit',
    );
  }
  if (split !== undefined && options.validationData !== undefined) {
    throw new TrainError(
      'validationSplit and validationData are both set; expected one of them',
      'validationSplit',
    );
  }
  checkRescale(options.rescale);
  const notes: string[] = [];
  const shape = modelShape(model);
  // Before any tensor exists, so that the data is made on the backend that trains.
  const backend = await ensureBackend(options.backend ?? 'auto', notes);
  const owned: tf.Tensor[] = [];
  const callbacks = options.callbacks ?? [];
  try {
    let dataset: tfd.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>;
    let samples: number;
    let steps: number;
    let stepSize = batchSize;
    let validation: [tf.Tensor, tf.Tensor] | undefined;
    if (isFlow(data)) {
      if (split !== undefined) {
        throw new TrainError(
          'validationSplit cannot hold out part of an ImageFlow; expected validationData',
          'validationSplit',
        );
      }
      dataset = flowStream(data, shape, notes, options.rescale);
      samples = data.n;
      steps = data.length;
      stepSize = data.batchSize;
    } else {
      const all = prepare(data, shape, 'data', notes, options.rescale);
      if (all.owned) owned.push(all.xs, all.ys);
      let fit = all;
      if (split !== undefined) {
        const held = Math.round(all.n * split);
        if (held < 1 || held >= all.n) {
          throw new TrainError(
            `validationSplit ${split} of ${all.n} samples holds out ${held}; expected at least one sample on each side`,
            'validationSplit',
          );
        }
        const kept = all.n - held;
        fit = {
          xs: tf.slice(all.xs, 0, kept),
          ys: tf.slice(all.ys, 0, kept),
          n: kept,
          owned: true,
        };
        validation = [tf.slice(all.xs, kept), tf.slice(all.ys, kept)];
        owned.push(fit.xs, fit.ys, ...validation);
        notes.push(`validationSplit: held out the last ${held} of ${all.n} samples for validation`);
      }
      const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
      dataset = memoryDataset(fit, batchSize, shuffle, seed);
      samples = fit.n;
      steps = Math.ceil(fit.n / batchSize);
    }
    if (options.validationData !== undefined) {
      const v = options.validationData;
      const prepared = prepare(
        Array.isArray(v) ? { xs: v[0], ys: v[1] } : v,
        shape,
        'validationData',
        notes,
        options.rescale,
      );
      if (prepared.owned) owned.push(prepared.xs, prepared.ys);
      validation = [prepared.xs, prepared.ys];
    }
    ensureCompiled(model, notes);
    // Conv + bias + relu as one kernel under the tape too: same numbers, fewer passes over memory.
    fuseConvForTraining(model);

    const params: TrainParams = {
      epochs,
      steps,
      samples,
      batchSize: stepSize,
      doValidation: validation !== undefined,
    };
    const recorder = new HistoryRecorder();
    // First, so that no later callback (a checkpoint, say) acts on the batch whose loss is NaN.
    const nanGuard = options.terminateOnNaN === false ? undefined : terminateOnNaN();
    const ours: TrainCallback[] = [
      ...(nanGuard ? [nanGuard] : []),
      recorder,
      ...(callbacks.filter((c) => !isTfjsCallback(c)) as TrainCallback[]),
    ];
    if (verbose !== 0) ours.push(progressBar({ ...options.progress, verbose }));
    for (const c of ours) {
      c.setModel?.(model);
      c.setParams?.(params);
    }
    // tfjs's BaseCallback is not exported: name it through fitDataset's own argument type.
    const wrapped: NonNullable<tfl.ModelFitDatasetArgs<unknown>['callbacks']> = [
      ...callbacks.filter(isTfjsCallback),
      ...ours.map(toCustomCallback),
    ];
    await model.fitDataset(dataset, {
      epochs,
      batchesPerEpoch: steps,
      validationData: validation,
      validationBatchSize: Math.max(stepSize, 256),
      classWeight: options.classWeight,
      callbacks: wrapped,
      verbose: 0,
    });
    const diverged = nanGuard?.error();
    if (diverged) throw diverged;
    return {
      epoch: recorder.epoch,
      history: recorder.history,
      seconds: recorder.seconds,
      batches: recorder.batches,
      imagesPerSecond: recorder.imagesPerSecond,
      backend,
      notes,
      params,
    };
  } finally {
    for (const c of callbacks) await (c as TrainCallback).dispose?.();
    tf.dispose(owned);
  }
}
