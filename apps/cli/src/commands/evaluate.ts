import { join } from 'node:path';
import type { LabeledImages } from '@cnnlab/datasets';
import { evaluate } from '@cnnlab/trainer';
import { confusionMatrixChart, writeSvg } from '@cnnlab/viz/charts';
import { prepareBackend } from '../backend-choice.js';
import { examples, type Register } from '../command.js';
import { type DatasetName, firstOf, loadDataset, parseDataset, requireImages } from '../data.js';
import { usageError } from '../errors.js';
import { loadCheckedModelDir, type ModelDir, recordedDataDir } from '../model-dir.js';
import { forModel } from '../model-input.js';
import { datasetOption, POSITIVE, path, whole } from '../options.js';
import { type Output, percent, withOutputDir } from '../output.js';
import { testPictures } from '../test-pictures.js';

/** What is scored: the images as the model takes them, and what to call them. */
interface Scored {
  test: LabeledImages;
  classNames: string[];
  /** What a class is, for the matrix's axes: a digit, a letter. */
  noun: string;
  /** What the images are, for the result line; `kind` for the matrix's title. */
  what: string;
  kind: 'test images' | 'test pictures';
}

type EvaluateOptions = {
  modelDir: string;
  dataset?: DatasetName;
  dataDir?: string;
  images?: string;
  out?: string;
  limit?: number;
};

export const registerEvaluate: Register = (parent, run) =>
  parent
    .command('evaluate')
    .description(
      'score a saved model on its test set: accuracy, per class, confusion matrix (SVG heatmap)',
    )
    .requiredOption('--model-dir <dir>', 'a folder written by cnnlab train', path('--model-dir'))
    .addOption(datasetOption('data set (default: the one it was trained on)'))
    .option('--data-dir <dir>', 'folder with the data files', path('--data-dir'))
    .option(
      '--images <dir>',
      'a model trained on pictures: score all of this folder (default: the held-out part of its own)',
      path('--images'),
    )
    .option('--out <dir>', 'where confusion.svg goes (default: the model folder)', path('--out'))
    .option('--limit <n>', 'score only the first N test images', whole('--limit', POSITIVE))
    .addHelpText(
      'after',
      examples([
        'cnnlab evaluate --model-dir models/cnn',
        'cnnlab evaluate --model-dir models/cnn --json',
        'cnnlab evaluate --model-dir models/shapes',
        'cnnlab evaluate --model-dir models/shapes --images more-shapes',
      ]),
    )
    .action(async (opts, cmd) => {
      const dataset = opts.dataset ? parseDataset(opts.dataset) : undefined;
      await run((out) => evaluateCommand({ ...opts, dataset }, out), cmd);
    });

/** The test split of the data set the model was trained on (or --dataset's), shaped for it. */
async function dataSetTest(loaded: ModelDir, options: EvaluateOptions): Promise<Scored> {
  const { model, meta } = loaded;
  if (options.images) {
    throw usageError(
      `--images is for a model trained on pictures; ${options.modelDir} was trained on ${meta.dataset} (use --dataset)`,
    );
  }
  const dataset = options.dataset ?? parseDataset(meta.dataset);
  // The record's data folder is checked as --data-dir would be.
  const dataDir = options.dataDir ?? (await recordedDataDir(loaded));
  const data = await loadDataset(dataset, { dataDir, classes: meta.classes });
  requireImages(data, 'test', meta.classes);
  const test = options.limit ? firstOf(data.test, options.limit) : data.test;
  const images = forModel(test.images, model.inputs[0]?.shape ?? []);
  const noun = { mnist: 'digit', 'fashion-mnist': 'class', 'sign-mnist': 'letter' }[dataset];
  return {
    test: { images, labels: test.labels },
    classNames: data.classNames,
    noun,
    what: 'test images',
    kind: 'test images',
  };
}

/** A picture model's test pictures (see testPictures), labelled by the recorded classes. */
async function picturesTest(loaded: ModelDir, options: EvaluateOptions): Promise<Scored> {
  if (options.dataset || options.dataDir) {
    throw usageError(
      `${options.modelDir} was trained on pictures: score them with --images DIR, not --dataset or --data-dir`,
    );
  }
  const { test, what } = await testPictures(loaded, {
    ...(options.images ? { images: options.images } : {}),
    remedy: 'pass --images DIR to score a folder of its class subfolders',
  });
  const scored = options.limit ? firstOf(test, options.limit) : test;
  return {
    test: { images: scored.images, labels: scored.labels },
    classNames: loaded.meta.classNames,
    noun: 'class',
    what,
    kind: 'test pictures',
  };
}

export async function evaluateCommand(options: EvaluateOptions, out: Output): Promise<void> {
  await prepareBackend(out);
  const loaded = await loadCheckedModelDir(options.modelDir);
  const { model } = loaded;
  const { test, classNames, noun, what, kind } = loaded.meta.images
    ? await picturesTest(loaded, options)
    : await dataSetTest(loaded, options);
  const result = await evaluate(model, test);
  const heatmap = join(options.out ?? options.modelDir, 'confusion.svg');
  const chart = confusionMatrixChart(result.confusionMatrix, classNames, {
    trueTitle: `True ${noun}`,
    predictedTitle: `Predicted ${noun}`,
    title: `Confusion matrix: ${result.n} ${kind}, accuracy ${percent(result.accuracy)}`,
  });
  const write = () => writeSvg(chart, heatmap);
  if (options.out) await withOutputDir(options.out, write);
  else await write();
  const perClass = result.perClassAccuracy
    .map((a, i) => `  ${classNames[i] ?? i}: ${percent(a)}`)
    .join('\n');
  out.result(
    {
      accuracy: result.accuracy,
      loss: result.loss,
      n: result.n,
      perClassAccuracy: result.perClassAccuracy,
      confusionMatrix: result.confusionMatrix,
      mostConfused: result.mostConfused,
      confusionSvg: heatmap,
    },
    `accuracy ${percent(result.accuracy)} on ${result.n} ${what}, loss ${result.loss.toFixed(4)}\nper class:\n${perClass}\nconfusion matrix: ${heatmap}`,
  );
}
