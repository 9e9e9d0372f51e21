import { join } from 'node:path';
import { evaluate } from '@cnnlab/trainer';
import { confusionMatrixChart, writeSvg } from '@cnnlab/viz/charts';
import { type DatasetName, firstOf, loadDataset, parseDataset, requireImages } from '../data.js';
import { loadModelDir, recordedDataDir } from '../model-dir.js';
import { forModel } from '../model-input.js';
import { requireFiniteWeights } from '../model-weights.js';
import { type Output, percent, withOutputDir } from '../output.js';
import { prepareBackend } from '../training.js';

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
  const loaded = await loadModelDir(options.modelDir);
  const { model, meta } = loaded;
  await requireFiniteWeights(model, options.modelDir);
  const dataset = options.dataset ?? parseDataset(meta.dataset);
  // The record's data folder is checked as --data-dir would be.
  const dataDir = options.dataDir ?? (await recordedDataDir(loaded));
  const data = await loadDataset(dataset, {
    ...(dataDir ? { dataDir } : {}),
    ...(meta.classes ? { classes: meta.classes } : {}),
  });
  requireImages(data, 'test', meta.classes);
  const test = options.limit ? firstOf(data.test, options.limit) : data.test;
  const images = forModel(test.images, model.inputs[0]?.shape ?? []);
  const result = await evaluate(model, { images, labels: test.labels } as never);
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
