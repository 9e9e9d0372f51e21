import { cnnMnist, countParams, freeze, withHead } from '@cnnlab/models';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Logs, TrainCallback } from './callback.js';
import { ensureBackend } from './ensure-backend.js';
import { TrainError } from './errors.js';
import { evaluate } from './evaluate.js';
import { checkClasses, type IndexedSplit, pickClasses } from './pick-classes.js';
import { train } from './train.js';

/** The digits of the experiment: a training split and a test split, one class index a label. */
export interface TransferData {
  train: IndexedSplit;
  test: IndexedSplit;
}

export interface TransferExperimentOptions {
  /** The classes the base network learns first. Default [0, 1, 2, 3, 4]. */
  sourceClasses?: readonly number[];
  /** The new classes, learnt from few examples; relabelled 0… in this order. Default [5, 6, 7, 8, 9]. */
  targetClasses?: readonly number[];
  /** Training images per target class, one comparison for each. Default [10, 30, 100]. */
  examplesPerClass?: readonly number[];
  /**
   * Epochs of both few-example trainings, the transferred head's and the scratch network's.
   * Default 5: short training is where transfer shows; given 20, the scratch network catches up
   * on digits from 30 examples a class.
   */
  epochs?: number;
  /** Their batch size. Default 16 (10 examples of 5 classes are only 50 images). */
  batchSize?: number;
  /** Epochs of the base network on the source classes. Default 3. */
  baseEpochs?: number;
  /** The base's batch size. Default 64, the workshop's. */
  baseBatchSize?: number;
  /** Train the base on at most this many source images (the first ones). Default: all of them. */
  baseExamples?: number;
  /** Seed of every initial weight, every draw of examples and every shuffle. Default 1. */
  seed?: number;
  /** Told after every batch of every training, with how far the whole experiment has come. */
  onProgress?: (progress: TransferProgress) => void | Promise<void>;
  /** Stops after the current batch; the experiment then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** As train's: 'auto' (default) picks the fastest backend unless one is set; 'keep'. */
  backend?: 'auto' | 'keep';
}

/** Which training is running. */
export type TransferPhase = 'base' | 'transferred' | 'scratch';

export interface TransferProgress {
  phase: TransferPhase;
  /** The few-example run's examples per class (undefined while the base trains). */
  examplesPerClass?: number;
  /** 0-based epoch of the current training, and its number of epochs. */
  epoch: number;
  epochs: number;
  /** Batches done over the whole experiment, and how many it has in all. */
  done: number;
  total: number;
  /** The batch's loss and accuracy. */
  loss?: number;
  acc?: number;
}

/** One network trained on the few examples, scored on the target classes' test images. */
export interface TransferRun {
  /** Accuracy on the held-out test images of the target classes. */
  testAccuracy: number;
  testLoss: number;
  /** Per epoch: loss and acc on the few examples, val_loss and val_acc on the test images. */
  history: Record<string, number[]>;
  /** Weights the training changed. */
  trainableParams: number;
  seconds: number;
}

/** The transferred and the scratch network at one number of examples per class. */
export interface TransferComparison {
  examplesPerClass: number;
  /** Training images: examplesPerClass × the number of target classes. */
  trainImages: number;
  /** The base's convolutions, frozen, under a new dense head trained on the few examples. */
  transferred: TransferRun;
  /** The same network, from random weights, trained on the same examples as long. */
  scratch: TransferRun;
}

export interface TransferExperiment {
  sourceClasses: number[];
  targetClasses: number[];
  epochs: number;
  batchSize: number;
  seed: number;
  /** The base network, trained on every source training image it was given. */
  base: {
    trainImages: number;
    epochs: number;
    /** Accuracy on the source classes' test images. */
    testAccuracy: number;
    testImages: number;
    history: Record<string, number[]>;
    seconds: number;
  };
  /** Test images of the target classes, on which every run is scored. */
  testImages: number;
  /** One comparison per entry of examplesPerClass, in that order. */
  results: TransferComparison[];
  backend: string;
  seconds: number;
}

function checkWhole(value: number, argument: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new TrainError(`${argument} is ${value}; expected an integer >= 1`, argument);
  }
  return value;
}

/** The batches one training of `n` images takes. */
const batchesOf = (n: number, batchSize: number, epochs: number) =>
  epochs * Math.ceil(n / batchSize);

/** Frees every weight and optimizer slot of models that share layers (each weight once). */
function disposeModels(models: readonly tfl.LayersModel[]): void {
  const variables = new Map<number, tfl.LayerVariable>();
  for (const model of models) {
    for (const w of model.weights) variables.set(w.id, w);
    model.optimizer?.dispose();
  }
  for (const w of variables.values()) {
    const value = w.read();
    if (!value.isDisposed) value.dispose();
  }
}

/**
 * Transfer learning as tfjs-examples' mnist-transfer-cnn shows it, offline: the workshop's CNN
 * learns the source classes (digits 0–4) from all their images; its convolutional part (every
 * layer up to the Flatten) is frozen and given a new head (Dense relu of the same width, Dense
 * softmax), and only that head learns the target classes (digits 5–9) from a few images each.
 * Beside it, the same network from random weights (the base's own initial weights, same seed)
 * learns the same images for as many epochs. Both are scored after each epoch and at the end on
 * every test image of the target classes, once per number of examples per class. Both compile
 * as train does (the workshop's rmsprop).
 *
 * Seeded throughout: initial weights (withSeed), the examples drawn and every shuffle; on one
 * backend the same seed gives the same numbers. Arguments are checked, and every class counted,
 * before anything trains.
 */
export async function transferExperiment(
  data: TransferData,
  options: TransferExperimentOptions = {},
): Promise<TransferExperiment> {
  const started = performance.now();
  const sourceClasses = [...(options.sourceClasses ?? [0, 1, 2, 3, 4])];
  const targetClasses = [...(options.targetClasses ?? [5, 6, 7, 8, 9])];
  checkClasses(sourceClasses, 'sourceClasses');
  checkClasses(targetClasses, 'targetClasses');
  const shared = targetClasses.filter((c) => sourceClasses.includes(c));
  if (shared.length > 0) {
    throw new TrainError(
      `sourceClasses [${sourceClasses.join(', ')}] and targetClasses [${targetClasses.join(', ')}] share ${shared.join(', ')}; expected two separate sets of classes`,
      'targetClasses',
    );
  }
  const counts = [...(options.examplesPerClass ?? [10, 30, 100])];
  if (counts.length === 0) {
    throw new TrainError(
      'examplesPerClass is []; expected at least one number of examples per class',
      'examplesPerClass',
    );
  }
  for (const [i, n] of counts.entries()) checkWhole(n, `examplesPerClass[${i}]`);
  const epochs = checkWhole(options.epochs ?? 5, 'epochs');
  const batchSize = checkWhole(options.batchSize ?? 16, 'batchSize');
  const baseEpochs = checkWhole(options.baseEpochs ?? 3, 'baseEpochs');
  const baseBatchSize = checkWhole(options.baseBatchSize ?? 64, 'baseBatchSize');
  if (options.baseExamples !== undefined) checkWhole(options.baseExamples, 'baseExamples');
  const seed = options.seed ?? 1;
  if (!(Number.isFinite(seed) && seed >= 0)) {
    throw new TrainError(`seed is ${seed}; expected a number >= 0`, 'seed');
  }
  const shape = data?.train?.images?.shape;
  if (!Array.isArray(shape) || ![3, 4].includes(shape.length)) {
    throw new TrainError(
      `data.train.images has shape ${JSON.stringify(shape)}; expected [n, h, w] or [n, h, w, c]`,
      'data.train.images',
    );
  }
  const [, h = 0, w = 0, c = 1] = shape;

  let source = pickClasses(data.train, sourceClasses, { argument: 'data.train' });
  if (options.baseExamples !== undefined && options.baseExamples < source.labels.length) {
    const keep = options.baseExamples * h * w * c;
    source = {
      images: {
        data: source.images.data.subarray(0, keep),
        shape: [options.baseExamples, h, w, c],
      },
      labels: source.labels.subarray(0, options.baseExamples),
      indices: source.indices.subarray(0, options.baseExamples),
    };
  }
  // The largest set: the class short of examples, if one is, is named before any training.
  pickClasses(data.train, targetClasses, {
    perClass: Math.max(...counts),
    seed,
    argument: 'data.train',
  });
  const sourceTest = pickClasses(data.test, sourceClasses, { argument: 'data.test' });
  const targetTest = pickClasses(data.test, targetClasses, { argument: 'data.test' });

  const notes: string[] = [];
  const backend = await ensureBackend(options.backend ?? 'auto', notes);
  const k = targetClasses.length;
  const total =
    batchesOf(source.labels.length, baseBatchSize, baseEpochs) +
    counts.reduce((sum, n) => sum + 2 * batchesOf(n * k, batchSize, epochs), 0);
  let done = 0;
  const signal = options.signal;
  signal?.throwIfAborted();
  /** The callback that reports progress and stops training when the signal is aborted. */
  const watch = (phase: TransferPhase, runEpochs: number, examplesPerClass?: number) => {
    let model: tfl.LayersModel | undefined;
    let epoch = 0;
    const callback: TrainCallback = {
      setModel(m) {
        model = m;
      },
      onEpochBegin(e) {
        epoch = e;
      },
      async onBatchEnd(_batch, logs: Logs = {}) {
        done++;
        if (signal?.aborted && model) model.stopTraining = true;
        await options.onProgress?.({
          phase,
          examplesPerClass,
          epoch,
          epochs: runEpochs,
          done,
          total,
          loss: logs.loss,
          acc: logs.acc ?? logs.accuracy,
        });
      },
    };
    return callback;
  };

  const models: tfl.LayersModel[] = [];
  const inputShape = [h, w, c];
  try {
    const base = cnnMnist({ inputShape, classes: sourceClasses.length, seed, name: 'base' });
    models.push(base);
    const baseHistory = await train(base, source, {
      epochs: baseEpochs,
      batchSize: baseBatchSize,
      seed,
      validationData: sourceTest,
      verbose: 0,
      backend: 'keep',
      callbacks: [watch('base', baseEpochs)],
    });
    signal?.throwIfAborted();
    const baseScore = await evaluate(base, sourceTest);

    // The convolutional part: every layer up to the Flatten, as one model sharing its layers.
    const flatten = base.layers.find((layer) => layer.getClassName() === 'Flatten');
    const dense = base.layers.find((layer) => layer.getClassName() === 'Dense');
    if (!flatten || !dense) {
      throw new TrainError('the base network has no Flatten and Dense layer to cut at', 'base');
    }
    const features = freeze(
      tfl.model({
        inputs: base.inputs,
        outputs: flatten.output as tfl.SymbolicTensor,
        name: 'base_features',
      }),
    );
    const units = (dense.getConfig() as { units: number }).units;

    const results: TransferComparison[] = [];
    for (const examplesPerClass of counts) {
      const few = pickClasses(data.train, targetClasses, {
        perClass: examplesPerClass,
        seed,
        argument: 'data.train',
      });
      const fit = async (model: tfl.LayersModel, phase: TransferPhase): Promise<TransferRun> => {
        models.push(model);
        const trainableParams = countParams(model).trainable;
        const history = await train(model, few, {
          epochs,
          batchSize,
          seed,
          validationData: targetTest,
          verbose: 0,
          backend: 'keep',
          callbacks: [watch(phase, epochs, examplesPerClass)],
        });
        signal?.throwIfAborted();
        const score = await evaluate(model, targetTest);
        return {
          testAccuracy: score.accuracy,
          testLoss: score.loss,
          history: history.history,
          trainableParams,
          seconds: history.seconds.reduce((a, b) => a + b, 0),
        };
      };
      const transferred = await fit(
        withHead(features, { classes: k, hidden: [units], dropout: 0, seed, name: 'transferred' }),
        'transferred',
      );
      const scratch = await fit(
        cnnMnist({ inputShape, classes: k, seed, name: 'scratch' }),
        'scratch',
      );
      results.push({ examplesPerClass, trainImages: few.labels.length, transferred, scratch });
    }
    return {
      sourceClasses,
      targetClasses,
      epochs,
      batchSize,
      seed,
      base: {
        trainImages: source.labels.length,
        epochs: baseEpochs,
        testAccuracy: baseScore.accuracy,
        testImages: sourceTest.labels.length,
        history: baseHistory.history,
        seconds: baseHistory.seconds.reduce((a, b) => a + b, 0),
      },
      testImages: targetTest.labels.length,
      results,
      backend,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    disposeModels(models);
  }
}
