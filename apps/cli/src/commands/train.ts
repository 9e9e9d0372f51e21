import { join, resolve } from 'node:path';
import { ImageDataGenerator } from '@cnnlab/augment';
import {
  evaluate,
  interruptHandler,
  type TrainCallback,
  type TrainData,
  TrainError,
  train,
} from '@cnnlab/trainer/node';
import { trainingCurves, writeSvg } from '@cnnlab/viz/charts';
import { Option } from 'commander';
import { prepareBackend } from '../backend-choice.js';
import { examples, type Register } from '../command.js';
import { type DatasetName, firstOf, loadDataset, parseDataset, requireImages } from '../data.js';
import { CliError, usageError } from '../errors.js';
import { type Interrupt, InterruptedError } from '../interrupt.js';
import { saveModelDir } from '../model-dir.js';
import { forModel } from '../model-input.js';
import { buildModel, MODELS, type ModelName, parseModel } from '../models.js';
import {
  backendOption,
  datasetOption,
  IMAGE_SIZE,
  POSITIVE,
  parseAugment,
  parseClasses,
  path,
  seedOption,
  whole,
} from '../options.js';
import { type Output, percent, withOutputDir } from '../output.js';
import { progressOptions } from '../progress.js';

export const registerTrain: Register = (parent, run) =>
  parent
    .command('train')
    .description('train one of the workshop\u2019s networks and save it with its history')
    .addOption(new Option('--model <name>', 'network').choices(MODELS).default('cnn'))
    .addOption(datasetOption('data set', 'mnist'))
    .option(
      '--data-dir <dir>',
      'folder with the IDX files (MNIST) or Kaggle CSVs (sign-mnist)',
      path('--data-dir'),
    )
    .option('--classes <list>', 'keep these labels, relabelled 0…k−1 (e.g. 0,1,21)', parseClasses)
    .option('--epochs <n>', 'passes over the data', whole('--epochs', { min: 1, max: 100_000 }), 1)
    .option(
      '--batch-size <n>',
      'samples per step',
      whole('--batch-size', { min: 1, max: 100_000 }),
      64,
    )
    .option(
      '--augment <spec>',
      'augment on the fly: rotation=40,width=0.2,height=0.2 (also shear, zoom)',
      parseAugment,
    )
    .addOption(backendOption())
    .addOption(seedOption('seed of initial weights and order'))
    .option(
      '--limit <n>',
      'use only the first N train and N test images',
      whole('--limit', POSITIVE),
    )
    .option(
      '--image-size <px>',
      'vgg16-transfer: digits resized to this square colour size (32–512; default 32)',
      whole('--image-size', IMAGE_SIZE),
    )
    .option(
      '--weights <path>',
      "vgg16-transfer: Keras's VGG16 weights, e.g. vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 (any Keras .h5/.keras, or a tfjs folder or model.json)",
      path('--weights'),
    )
    .requiredOption('--out <dir>', 'where to save the model', path('--out'))
    .addHelpText(
      'after',
      examples([
        'cnnlab train --model dense --epochs 10 --batch-size 256 --out models/dense',
        'cnnlab train --model sign --dataset sign-mnist --data-dir data --classes 0,1,21 --epochs 5 --out models/rps',
        'cnnlab train --model cnn --augment rotation=40,width=0.2,height=0.2 --out models/cnn-aug',
        'cnnlab train --model vgg16-transfer --weights vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 --limit 2000 --epochs 3 --out models/vgg',
      ]),
    )
    .action(async (opts, cmd) => {
      await run(
        (out, interrupt) =>
          trainCommand(
            { ...opts, model: parseModel(opts.model), dataset: parseDataset(opts.dataset) },
            out,
            interrupt,
          ),
        cmd,
      );
    });

export interface TrainOptions {
  model: ModelName;
  dataset: DatasetName;
  dataDir?: string;
  classes?: number[];
  epochs: number;
  batchSize: number;
  augment?: Record<string, number>;
  backend?: string;
  seed?: number;
  /** Use only the first N train and N test images (quick tries, slow models). */
  limit?: number;
  /** vgg16-transfer: side of the colour pictures the digits are resized to (≥ 32). */
  imageSize?: number;
  /** vgg16-transfer: Keras's VGG16 weights (.h5/.keras) or a tfjs folder, for the frozen base. */
  weights?: string;
  out: string;
}

/** The history of the epochs that ran to their end (an interrupted one is recorded too). */
function finishedHistory(history: Record<string, number[]>, epochs: number) {
  return Object.fromEntries(Object.entries(history).map(([k, v]) => [k, v.slice(0, epochs)]));
}

/** Says when training starts, and what Ctrl-C does then. */
function announce(out: Output, model: ModelName): TrainCallback {
  let line = '';
  return {
    setParams(p) {
      line = `training ${model}: ${p.epochs} epoch${p.epochs === 1 ? '' : 's'} of ${p.steps} batch${p.steps === 1 ? '' : 'es'} (Ctrl-C stops after the current batch and keeps the last finished epoch)`;
    },
    onTrainBegin() {
      out.info(line);
    },
  };
}

export async function trainCommand(
  options: TrainOptions,
  out: Output,
  interrupt: Interrupt,
): Promise<Record<string, unknown>> {
  if (options.model !== 'vgg16-transfer' && (options.weights || options.imageSize)) {
    throw usageError('--weights and --image-size are for --model vgg16-transfer');
  }
  // Ctrl-C and SIGTERM stop training after the current batch; the last finished epoch is kept.
  interrupt.stopGracefully();
  const nothing = 'no epoch had finished, so nothing was saved';
  // A run that fails leaves no new, empty or half-filled model folder behind.
  const outcome = await withOutputDir(options.out, async () => {
    await prepareBackend(out, options.backend);
    const data = await loadDataset(options.dataset, {
      dataDir: options.dataDir,
      classes: options.classes,
    });
    if (options.limit) {
      data.train = firstOf(data.train, options.limit);
      data.test = firstOf(data.test, options.limit);
    }
    requireImages(data, 'train', options.classes);
    requireImages(data, 'test', options.classes);
    out.info(
      `data: ${data.description}; ${data.train.labels.length} train, ${data.test.labels.length} test`,
    );
    const classes = data.classNames.length;
    if (options.model === 'vgg16-transfer' && !options.weights) {
      out.info(
        'no --weights: the frozen VGG16 base is random (nothing is downloaded), so expect little learning',
      );
    }
    const model = await buildModel(options.model, classes, {
      seed: options.seed,
      imageSize: options.imageSize ?? 32,
      weights: options.weights,
    });
    interrupt.check(nothing);
    // VGG16 takes colour pictures of at least 32×32: the digits are resized and given 3 channels.
    const inputShape = model.inputs[0]?.shape ?? [];
    const trainSplit = {
      images: forModel(data.train.images, inputShape),
      labels: data.train.labels,
    };
    const testSplit = { images: forModel(data.test.images, inputShape), labels: data.test.labels };
    let trainData: TrainData = trainSplit;
    if (options.augment) {
      const n = trainSplit.labels.length;
      const [, h = 28, w = 28, c = 1] = trainSplit.images.shape;
      const generator = new ImageDataGenerator({ ...options.augment, rescale: 1 / 255 });
      trainData = generator.flow(
        { data: trainSplit.images.data, shape: [n, h, w, c] },
        trainSplit.labels,
        {
          batchSize: options.batchSize,
          numClasses: classes,
          seed: options.seed,
        },
      );
    }
    interrupt.check(nothing);
    // The trainer's own interrupt handling, fed by the CLI's signals (which also stop downloads).
    const stop = interruptHandler({
      signal: [],
      abortSignal: interrupt.signal,
      keep: 'last-epoch',
      log: (line) => out.info(line),
    });
    let history: Awaited<ReturnType<typeof train>>;
    try {
      history = await train(model, trainData, {
        epochs: options.epochs,
        batchSize: options.batchSize,
        validationData: testSplit,
        backend: 'keep',
        callbacks: [stop, announce(out, options.model)],
        seed: options.seed,
        ...progressOptions(out),
      });
    } catch (error) {
      // A loss that became NaN: the model is worth nothing, and is not saved.
      if (error instanceof TrainError && error.argument === 'loss') {
        throw new CliError(`${error.message}; nothing was saved`, { cause: error });
      }
      throw error;
    }
    // Scoring the test split takes a while: not once the user asked to stop.
    const result = interrupt.caught ? undefined : await evaluate(model, testSplit);
    const finished = stop.finishedEpochs;
    if (interrupt.caught && finished === 0) throw new InterruptedError(interrupt.caught, nothing);
    const kept = finishedHistory(history.history, finished);
    await saveModelDir(model, options.out, {
      model: options.model,
      dataset: options.dataset,
      classes: options.classes,
      // Absolute, so evaluate and activations find the data from any working folder.
      dataDir: options.dataDir ? resolve(options.dataDir) : undefined,
      limit: options.limit,
      classNames: data.classNames,
      history: kept,
      ...(result ? { testAccuracy: result.accuracy } : {}),
    });
    const batches = history.batches.filter((b) => b.epoch < finished);
    await writeSvg(trainingCurves(kept, { batches }), join(options.out, 'curves.svg'));
    if (interrupt.caught || !result) return { checkpoint: finished };
    const summary = {
      model: options.model,
      dataset: options.dataset,
      epochs: options.epochs,
      testAccuracy: result.accuracy,
      testLoss: result.loss,
      history: history.history,
      seconds: history.seconds,
      backend: history.backend,
      trainImages: trainSplit.labels.length,
      inputShape: inputShape.slice(1),
      out: options.out,
    };
    return {
      summary,
      text: `test accuracy ${percent(result.accuracy)}, loss ${result.loss.toFixed(4)}; saved to ${options.out}`,
    };
  });
  if ('checkpoint' in outcome) {
    const signal = interrupt.caught ?? 'SIGINT';
    throw new InterruptedError(
      signal,
      outcome.checkpoint === options.epochs
        ? `saved the model after ${options.epochs === 1 ? 'its one epoch' : `all ${options.epochs} epochs`} to ${options.out}`
        : `saved the model after epoch ${outcome.checkpoint} of ${options.epochs} (the last finished) to ${options.out}`,
    );
  }
  out.result(outcome.summary, outcome.text);
  return outcome.summary;
}
