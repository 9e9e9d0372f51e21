import { join, resolve } from 'node:path';
import { ImageDataGenerator } from '@cnnlab/augment';
import { evaluate, train } from '@cnnlab/trainer';
import { trainingCurves, writeSvg } from '@cnnlab/viz/node';
import { type DatasetName, firstOf, loadDataset } from '../data.js';
import { usageError } from '../errors.js';
import { saveModelDir } from '../model-dir.js';
import { forModel } from '../model-input.js';
import { type Output, percent, withOutputDir } from '../output.js';
import { buildModel, type ModelName, prepareBackend, progressOptions } from '../training.js';

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
  /** vgg16-transfer: converted Keras VGG16 weights for the frozen base. */
  weights?: string;
  out: string;
}

const AUGMENT_KEYS: Record<string, string> = {
  rotation: 'rotationRange',
  width: 'widthShiftRange',
  height: 'heightShiftRange',
  shear: 'shearRange',
  zoom: 'zoomRange',
};

/** Parses `rotation=40,width=0.2,height=0.2` into the generator's Keras-named options. */
export function parseAugment(value: string): Record<string, number> {
  const options: Record<string, number> = {};
  for (const part of value.split(',')) {
    const [key = '', raw = ''] = part.split('=').map((s) => s.trim());
    const name = AUGMENT_KEYS[key];
    const number = Number(raw);
    if (!name || raw === '' || !Number.isFinite(number)) {
      throw usageError(
        `--augment expects key=value pairs with keys ${Object.keys(AUGMENT_KEYS).join(', ')}, got '${part}'`,
      );
    }
    options[name] = number;
  }
  return options;
}

export async function trainCommand(
  options: TrainOptions,
  out: Output,
): Promise<Record<string, unknown>> {
  if (options.model !== 'vgg16-transfer' && (options.weights || options.imageSize)) {
    throw usageError('--weights and --image-size are for --model vgg16-transfer');
  }
  // A run that fails leaves no new, empty or half-filled model folder behind.
  return withOutputDir(options.out, async () => {
    await prepareBackend(out, options.backend);
    const data = await loadDataset(options.dataset, {
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.classes ? { classes: options.classes } : {}),
    });
    if (options.limit) {
      data.train = firstOf(data.train, options.limit);
      data.test = firstOf(data.test, options.limit);
    }
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
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      imageSize: options.imageSize ?? 32,
      ...(options.weights ? { weights: options.weights } : {}),
    });
    // VGG16 takes colour pictures of at least 32×32: the digits are resized and given 3 channels.
    const inputShape = model.inputs[0]?.shape ?? [];
    const trainSplit = {
      images: forModel(data.train.images, inputShape),
      labels: data.train.labels,
    };
    const testSplit = { images: forModel(data.test.images, inputShape), labels: data.test.labels };
    let trainData: Parameters<typeof train>[1] = trainSplit as never;
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
          ...(options.seed !== undefined ? { seed: options.seed } : {}),
        },
      ) as never;
    }
    const history = await train(model, trainData, {
      epochs: options.epochs,
      batchSize: options.batchSize,
      validationData: testSplit as never,
      backend: 'keep',
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...progressOptions(out),
    });
    const result = await evaluate(model, testSplit as never);
    await saveModelDir(model, options.out, {
      model: options.model,
      dataset: options.dataset,
      ...(options.classes ? { classes: options.classes } : {}),
      // Absolute, so evaluate and activations find the data from any working folder.
      ...(options.dataDir ? { dataDir: resolve(options.dataDir) } : {}),
      ...(options.limit ? { limit: options.limit } : {}),
      classNames: data.classNames,
      history: history.history,
      testAccuracy: result.accuracy,
    });
    await writeSvg(trainingCurves(history.history), join(options.out, 'curves.svg'));
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
    out.result(
      summary,
      `test accuracy ${percent(result.accuracy)}, loss ${result.loss.toFixed(4)}; saved to ${options.out}`,
    );
    return summary;
  });
}
