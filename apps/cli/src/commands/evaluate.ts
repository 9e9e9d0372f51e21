import { join } from 'node:path';
import { evaluate } from '@cnnlab/trainer';
import { confusionHeatmap, writePng } from '@cnnlab/viz/node';
import { type DatasetName, firstOf, loadDataset, parseDataset } from '../data.js';
import { loadModelDir } from '../model-dir.js';
import { forModel } from '../model-input.js';
import { ensureDir, type Output, percent } from '../output.js';
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
  const { model, meta } = await loadModelDir(options.modelDir);
  const dataset = options.dataset ?? parseDataset(meta.dataset);
  const dataDir = options.dataDir ?? meta.dataDir;
  const data = await loadDataset(dataset, {
    ...(dataDir ? { dataDir } : {}),
    ...(meta.classes ? { classes: meta.classes } : {}),
  });
  const test = options.limit ? firstOf(data.test, options.limit) : data.test;
  const images = forModel(test.images, model.inputs[0]?.shape ?? []);
  const result = await evaluate(model, { images, labels: test.labels } as never);
  const heatmap = join(options.out ?? options.modelDir, 'confusion.png');
  if (options.out) await ensureDir(options.out);
  await writePng(confusionHeatmap(result.confusionMatrix), heatmap);
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
      confusionPng: heatmap,
    },
    `accuracy ${percent(result.accuracy)} on ${result.n} test images, loss ${result.loss.toFixed(4)}\nper class:\n${perClass}\nconfusion matrix: ${heatmap}`,
  );
}
