import { isAbsolute, join, relative, resolve } from 'node:path';
import { ImageDataGenerator } from '@cnnlab/augment';
import type { LabeledImages } from '@cnnlab/datasets';
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
import { type PicturesRecord, saveModelDir } from '../model-dir.js';
import { forModel } from '../model-input.js';
import { buildModel, MODELS, type ModelName, parseModel } from '../models.js';
import {
  backendOption,
  datasetOption,
  IMAGE_SIZE,
  POSITIVE,
  parseAugment,
  parseClasses,
  parseValidationSplit,
  parseWhole,
  path,
  SEED,
  seedOption,
  whole,
} from '../options.js';
import { type Output, percent, withOutputDir } from '../output.js';
import {
  COLOR_MODES,
  channelsOf,
  DEFAULT_PICTURE_SIZE,
  describeCounts,
  PICTURES,
  type PictureColorMode,
  perClass,
  readPictureSplit,
} from '../pictures.js';
import { progressOptions } from '../progress.js';

/** The part of the pictures held out for testing when --validation-split is not given. */
const DEFAULT_VALIDATION_SPLIT = 0.2;

/** --image-size's widest range; each network then asks for its own least (VGG16 32, the CNNs 18). */
const ANY_IMAGE_SIZE = { min: 1, max: IMAGE_SIZE.max, unit: 'pixels' };

/** The workshop's CNNs: three 3×3 convolutions and two 2×2 poolings need 18 pixels a side. */
const CNN_IMAGE_SIZE = { min: 18, max: IMAGE_SIZE.max, unit: 'pixels; the CNN needs at least 18' };

export const registerTrain: Register = (parent, run) =>
  parent
    .command('train')
    .description('train one of the workshop\u2019s networks and save it with its history')
    .addOption(new Option('--model <name>', 'network').choices(MODELS).default('cnn'))
    .addOption(datasetOption('data set', 'mnist'))
    .option(
      '--images <dir>',
      'your own pictures instead of a data set: one subfolder per class of PNG/JPEG files',
      path('--images'),
    )
    .addOption(
      new Option(
        '--color-mode <mode>',
        'with --images: colour or grey pictures (default: rgb)',
      ).choices(COLOR_MODES),
    )
    .option(
      '--validation-split <f>',
      `with --images: the part held out (seeded) for testing (default: ${DEFAULT_VALIDATION_SPLIT})`,
      parseValidationSplit,
    )
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
      `with --images: pictures resized to this square size (default ${DEFAULT_PICTURE_SIZE}; the CNNs need 18, VGG16 32); vgg16-transfer on digits: their colour size (32–512; default 32)`,
      whole('--image-size', ANY_IMAGE_SIZE),
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
        'cnnlab train --images shapes --image-size 32 --epochs 10 --seed 1 --out models/shapes',
        'cnnlab train --images leaves --color-mode grayscale --validation-split 0.3 --augment rotation=20 --out models/leaves',
        'cnnlab train --model vgg16-transfer --weights vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 --limit 2000 --epochs 3 --out models/vgg',
      ]),
    )
    .action(async (opts, cmd) => {
      await run(
        (out, interrupt) =>
          trainCommand(
            {
              ...opts,
              model: parseModel(opts.model),
              // Given, --dataset is refused beside --images; its default is MNIST's only without.
              dataset:
                cmd.getOptionValueSource('dataset') === 'default' && opts.images
                  ? undefined
                  : parseDataset(opts.dataset),
            },
            out,
            interrupt,
          ),
        cmd,
      );
    });

export interface TrainOptions {
  model: ModelName;
  /** A data set by name; absent, MNIST, or the pictures of `images`. */
  dataset?: DatasetName;
  /** A folder of the user's pictures, one subfolder per class (instead of `dataset`). */
  images?: string;
  /** images: grey or colour pictures (default rgb). */
  colorMode?: PictureColorMode;
  /** images: the part held out, with `seed` (or a drawn one), for testing (default 0.2). */
  validationSplit?: number;
  dataDir?: string;
  classes?: number[];
  epochs: number;
  batchSize: number;
  augment?: Record<string, number>;
  backend?: string;
  seed?: number;
  /** Use only the first N train and N test images (quick tries, slow models). */
  limit?: number;
  /** images: side pictures are resized to (default 64); vgg16-transfer: that of the digits (≥ 32). */
  imageSize?: number;
  /** vgg16-transfer: Keras's VGG16 weights (.h5/.keras) or a tfjs folder, for the frozen base. */
  weights?: string;
  out: string;
}

/** Flags that do not go together, refused before anything is read. */
function checkFlags(options: TrainOptions): void {
  const { images, model } = options;
  if (model !== 'vgg16-transfer' && options.weights) {
    throw usageError('--weights is for --model vgg16-transfer');
  }
  if (!images) {
    if (options.colorMode || options.validationSplit !== undefined) {
      throw usageError('--color-mode and --validation-split are for --images DIR');
    }
    if (model !== 'vgg16-transfer' && options.imageSize) {
      throw usageError('--image-size is for --images DIR or --model vgg16-transfer');
    }
    if (model === 'vgg16-transfer' && options.imageSize) {
      parseWhole(String(options.imageSize), '--image-size', IMAGE_SIZE);
    }
    return;
  }
  if (options.dataset) {
    throw usageError(
      '--images and --dataset exclude each other: --images DIR reads your own pictures instead of a data set',
    );
  }
  if (options.dataDir) throw usageError('--data-dir is for --dataset; --images names the folder');
  // A model folder inside the pictures would become a class of its own (an empty one, as Keras
  // counts empty folders) on this run and every later one.
  const relation = relative(resolve(images), resolve(options.out));
  if (relation === '' || (!relation.startsWith('..') && !isAbsolute(relation))) {
    throw usageError(
      `--out ${options.out} is inside --images ${options.images}: it would become a class of pictures; save the model elsewhere`,
    );
  }
  if (options.classes) {
    throw usageError(
      '--classes is for --dataset; with --images every subfolder is a class (move the others out)',
    );
  }
  const size = String(options.imageSize ?? DEFAULT_PICTURE_SIZE);
  if (model === 'vgg16-transfer') {
    parseWhole(size, '--image-size', IMAGE_SIZE);
    if (options.colorMode === 'grayscale') {
      throw usageError(
        '--model vgg16-transfer takes colour pictures: leave out --color-mode grayscale',
      );
    }
  } else if (model !== 'dense') {
    parseWhole(size, '--image-size', CNN_IMAGE_SIZE);
  }
}

/** What a model learns from: a data set by name, or the user's pictures with their record. */
interface TrainingData {
  name: DatasetName | typeof PICTURES;
  train: LabeledImages;
  test: LabeledImages;
  classNames: string[];
  pictures?: PicturesRecord;
}

/** Reads the training and test images, says how many of each, and checks neither is empty. */
async function trainingData(options: TrainOptions, out: Output): Promise<TrainingData> {
  const limited = (split: LabeledImages) => (options.limit ? firstOf(split, options.limit) : split);
  if (!options.images) {
    const data = await loadDataset(options.dataset ?? 'mnist', {
      dataDir: options.dataDir,
      classes: options.classes,
    });
    data.train = limited(data.train);
    data.test = limited(data.test);
    requireImages(data, 'train', options.classes);
    requireImages(data, 'test', options.classes);
    out.info(
      `data: ${data.description}; ${data.train.labels.length} train, ${data.test.labels.length} test`,
    );
    return data;
  }
  // Absolute, so evaluate finds the folder from any working folder.
  const dir = resolve(options.images);
  const size = options.imageSize ?? DEFAULT_PICTURE_SIZE;
  const colorMode = options.colorMode ?? 'rgb';
  const validationSplit = options.validationSplit ?? DEFAULT_VALIDATION_SPLIT;
  // The split needs a seed (as in Keras); one drawn here is recorded, so evaluate draws the same.
  const seed = options.seed ?? Math.floor(Math.random() * (SEED.max + 1));
  const [train, test] = await readPictureSplit(
    options.images,
    { size, colorMode },
    { validationSplit, seed },
  );
  const { classNames } = train;
  const parts = { train: limited(train), test: limited(test) };
  const count = (split: LabeledImages) =>
    `${split.labels.length} (${describeCounts(perClass(split.labels, classNames))})`;
  out.info(
    `data: pictures in ${options.images}, ${classNames.length} classes, made ${size}×${size} ${colorMode}; ${percent(validationSplit)} held out for testing (seed ${seed})`,
  );
  out.info(`training pictures: ${count(parts.train)}`);
  out.info(`testing pictures: ${count(parts.test)}`);
  return {
    name: PICTURES,
    ...parts,
    classNames,
    pictures: { dir, size, colorMode, validationSplit, seed },
  };
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
  checkFlags(options);
  // Ctrl-C and SIGTERM stop training after the current batch; the last finished epoch is kept.
  interrupt.stopGracefully();
  const nothing = 'no epoch had finished, so nothing was saved';
  // A run that fails leaves no new, empty or half-filled model folder behind.
  const outcome = await withOutputDir(options.out, async () => {
    await prepareBackend(out, options.backend);
    const data = await trainingData(options, out);
    const classes = data.classNames.length;
    if (options.model === 'vgg16-transfer' && !options.weights) {
      out.info(
        'no --weights: the frozen VGG16 base is random (nothing is downloaded), so expect little learning',
      );
    }
    const { pictures } = data;
    const model = await buildModel(options.model, classes, {
      seed: options.seed,
      imageSize: options.imageSize ?? 32,
      weights: options.weights,
      ...(pictures
        ? { inputShape: [pictures.size, pictures.size, channelsOf(pictures.colorMode)] }
        : {}),
    });
    interrupt.check(nothing);
    // VGG16 takes colour pictures of at least 32×32: the digits are resized and given 3 channels.
    // The user's pictures already have the model's shape.
    const inputShape = model.inputs[0]?.shape ?? [];
    const shaped = (split: LabeledImages) => ({
      images: pictures ? split.images : forModel(split.images, inputShape),
      labels: split.labels,
    });
    const trainSplit = shaped(data.train);
    const testSplit = shaped(data.test);
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
      dataset: data.name,
      ...(pictures ? { images: pictures } : {}),
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
      dataset: data.name,
      ...(pictures
        ? {
            images: pictures.dir,
            trainPerClass: perClass(trainSplit.labels, data.classNames),
            testPerClass: perClass(testSplit.labels, data.classNames),
          }
        : {}),
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
