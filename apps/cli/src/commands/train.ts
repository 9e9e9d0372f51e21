import { join } from 'node:path';
import { ImageDataGenerator } from '@cnnlab/augment';
import { evaluate, train } from '@cnnlab/trainer';
import { trainingCurves, writeSvg } from '@cnnlab/viz/node';
import { type DatasetName, loadDataset, seeded } from '../data.js';
import { usageError } from '../errors.js';
import { saveModelDir } from '../model-dir.js';
import { ensureDir, type Output, percent } from '../output.js';
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
  if (options.model === 'vgg16-transfer') {
    throw usageError(
      '--model vgg16-transfer needs 150×150 colour images; use cnnlab summary --model vgg16-transfer',
    );
  }
  await ensureDir(options.out);
  await prepareBackend(out, options.backend);
  const data = await loadDataset(options.dataset, {
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.classes ? { classes: options.classes } : {}),
  });
  out.info(
    `data: ${data.description}; ${data.train.labels.length} train, ${data.test.labels.length} test`,
  );
  const classes = data.classNames.length;
  const model = seeded(options.seed, () => buildModel(options.model, classes));
  let trainData: Parameters<typeof train>[1] = data.train as never;
  if (options.augment) {
    const n = data.train.labels.length;
    const generator = new ImageDataGenerator({ ...options.augment, rescale: 1 / 255 });
    trainData = generator.flow(
      { data: data.train.images.data, shape: [n, 28, 28, 1] },
      data.train.labels,
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
    validationData: data.test as never,
    backend: 'keep',
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...progressOptions(out),
  });
  const result = await evaluate(model, data.test as never);
  await saveModelDir(model, options.out, {
    model: options.model,
    dataset: options.dataset,
    ...(options.classes ? { classes: options.classes } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
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
    out: options.out,
  };
  out.result(
    summary,
    `test accuracy ${percent(result.accuracy)}, loss ${result.loss.toFixed(4)}; saved to ${options.out}`,
  );
  return summary;
}
