import { join } from 'node:path';
import { evaluate } from '@cnnlab/trainer';
import { confusionMatrixChart, writeSvg } from '@cnnlab/viz/charts';
import { prepareBackend } from '../backend-choice.js';
import { examples, type Register } from '../command.js';
import { type DatasetName, firstOf, loadDataset, parseDataset, requireImages } from '../data.js';
import { loadCheckedModelDir, recordedDataDir } from '../model-dir.js';
import { forModel } from '../model-input.js';
import { datasetOption, POSITIVE, path, whole } from '../options.js';
import { type Output, percent, withOutputDir } from '../output.js';

export const registerEvaluate: Register = (parent, run) =>
  parent
    .command('evaluate')
    .description(
      'score a saved model on its test set: accuracy, per class, confusion matrix (SVG heatmap)',
    )
    .requiredOption('--model-dir <dir>', 'a folder written by cnnlab train', path('--model-dir'))
    .addOption(datasetOption('data set (default: the one it was trained on)'))
    .option('--data-dir <dir>', 'folder with the data files', path('--data-dir'))
    .option('--out <dir>', 'where confusion.svg goes (default: the model folder)', path('--out'))
    .option('--limit <n>', 'score only the first N test images', whole('--limit', POSITIVE))
    .addHelpText(
      'after',
      examples([
        'cnnlab evaluate --model-dir models/cnn',
        'cnnlab evaluate --model-dir models/cnn --json',
      ]),
    )
    .action(async (opts, cmd) => {
      const dataset = opts.dataset ? parseDataset(opts.dataset) : undefined;
      await run((out) => evaluateCommand({ ...opts, dataset }, out), cmd);
    });

export async function evaluateCommand(
  options: {
    modelDir: string;
    dataset?: DatasetName;
    dataDir?: string;
    out?: string;
    limit?: number;
  },
  out: Output,
): Promise<void> {
  await prepareBackend(out);
  const loaded = await loadCheckedModelDir(options.modelDir);
  const { model, meta } = loaded;
  const dataset = options.dataset ?? parseDataset(meta.dataset);
  // The record's data folder is checked as --data-dir would be.
  const dataDir = options.dataDir ?? (await recordedDataDir(loaded));
  const data = await loadDataset(dataset, { dataDir, classes: meta.classes });
  requireImages(data, 'test', meta.classes);
  const test = options.limit ? firstOf(data.test, options.limit) : data.test;
  const images = forModel(test.images, model.inputs[0]?.shape ?? []);
  const result = await evaluate(model, { images, labels: test.labels });
  const heatmap = join(options.out ?? options.modelDir, 'confusion.svg');
  const noun = { mnist: 'digit', 'fashion-mnist': 'class', 'sign-mnist': 'letter' }[dataset];
  const chart = confusionMatrixChart(result.confusionMatrix, data.classNames, {
    trueTitle: `True ${noun}`,
    predictedTitle: `Predicted ${noun}`,
    title: `Confusion matrix: ${result.n} test images, accuracy ${percent(result.accuracy)}`,
  });
  const write = () => writeSvg(chart, heatmap);
  if (options.out) await withOutputDir(options.out, write);
  else await write();
  const perClass = result.perClassAccuracy
    .map((a, i) => `  ${data.classNames[i] ?? i}: ${percent(a)}`)
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
    `accuracy ${percent(result.accuracy)} on ${result.n} test images, loss ${result.loss.toFixed(4)}\nper class:\n${perClass}\nconfusion matrix: ${heatmap}`,
  );
}
