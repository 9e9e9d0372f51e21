import { classCounts } from '@cnnlab/datasets/node';
import { activationModel } from '@cnnlab/models';
import { activationFigure } from '@cnnlab/viz/node';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import {
  type DatasetName,
  imageAt,
  type LoadedData,
  loadDataset,
  parseDataset,
  requireImages,
} from '../data.js';
import { CliError, usageError } from '../errors.js';
import { writeFigureFiles } from '../figure-files.js';
import { loadModelDir, recordedDataDir } from '../model-dir.js';
import { forModel } from '../model-input.js';
import { requireFiniteWeights } from '../model-weights.js';
import { type Output, withOutputDir } from '../output.js';
import { prepareBackend } from '../training.js';

export async function datasetsInfo(
  options: { dataset: DatasetName; dataDir?: string },
  out: Output,
): Promise<void> {
  const data = await loadDataset(
    options.dataset,
    options.dataDir ? { dataDir: options.dataDir } : {},
  );
  const k = data.classNames.length;
  const info = {
    dataset: data.name,
    source: data.description,
    train: { shape: data.train.images.shape, classCounts: classCounts(data.train.labels, k) },
    test: { shape: data.test.images.shape, classCounts: classCounts(data.test.labels, k) },
    classNames: data.classNames,
  };
  const counts = (c: ArrayLike<number>) =>
    Array.from(c, (n, i) => `${data.classNames[i]}:${n}`).join(' ');
  out.result(
    info,
    [
      `${data.name}: ${data.description}`,
      `train ${JSON.stringify(info.train.shape)}  ${counts(info.train.classCounts)}`,
      `test  ${JSON.stringify(info.test.shape)}  ${counts(info.test.classCounts)}`,
    ].join('\n'),
  );
}

/** One activation grid PNG per conv and pooling layer, for one test image. */
export async function activationsCommand(
  options: { modelDir: string; index: number; out: string },
  out: Output,
): Promise<void> {
  await prepareBackend(out);
  const loaded = await loadModelDir(options.modelDir);
  const { model, meta } = loaded;
  await requireFiniteWeights(model, options.modelDir);
  const dataDir = await recordedDataDir(loaded);
  const data = await loadDataset(parseDataset(meta.dataset), {
    ...(dataDir ? { dataDir } : {}),
    ...(meta.classes ? { classes: meta.classes } : {}),
  });
  requireImages(data, 'test', meta.classes);
  if (options.index < 0 || options.index >= data.test.labels.length) {
    throw usageError(`--index must be within 0–${data.test.labels.length - 1}`);
  }
  const layers = model.layers.filter((l) => /Conv2D|Pooling2D/.test(l.getClassName()));
  if (layers.length === 0) {
    throw new CliError(`the model in ${options.modelDir} has no convolution layers to look inside`);
  }
  const files = await withOutputDir(options.out, () =>
    drawActivations(model, layers, data, options),
  );
  out.result(
    {
      index: options.index,
      class: data.test.labels[options.index],
      label: data.classNames[data.test.labels[options.index] ?? 0],
      files,
    },
    files.map((f) => `${f.layer} ${JSON.stringify(f.shape)} → ${f.file}`).join('\n'),
  );
}

async function drawActivations(
  model: LayersModel,
  layers: LayersModel['layers'],
  data: LoadedData,
  options: { index: number; out: string },
): Promise<{ layer: string; shape: number[]; file: string; svg: string }[]> {
  const probe = activationModel(
    model as never,
    layers.map((l) => l.name),
  ) as unknown as LayersModel;
  const digit = imageAt(data.test, options.index);
  const picture = forModel(
    { data: digit.data, shape: [1, 28, 28, 1] },
    model.inputs[0]?.shape ?? [],
  );
  const [, h = 28, w = 28, c = 1] = picture.shape;
  const input = tf.tensor4d(
    Float32Array.from(picture.data, (v) => v / 255),
    [1, h, w, c],
  );
  const raw = probe.predict(input);
  const outputs = (Array.isArray(raw) ? raw : [raw]) as tf.Tensor[];
  const files: { layer: string; shape: number[]; file: string; svg: string }[] = [];
  for (const [k, output] of outputs.entries()) {
    const layer = layers[k]?.name ?? `layer${k}`;
    const figure = activationFigure({ data: await output.data(), shape: output.shape }, { layer });
    const written = await writeFigureFiles(figure, options.out, `activations-${layer}`);
    files.push({ layer, shape: output.shape, file: written.png ?? written.svg, svg: written.svg });
  }
  tf.dispose([input, ...outputs]);
  return files;
}

/** The workshop's generator applied to one picture, n times, as one grid PNG. */
export async function augmentCommand(
  options: {
    image: string;
    n: number;
    generator: Record<string, number>;
    seed: number;
    out: string;
  },
  out: Output,
): Promise<void> {
  const { ImageDataGenerator } = await import('@cnnlab/augment');
  const { augmentedBatch, figureImage } = await import('@cnnlab/viz/node');
  const { readGreyPng, toMnistLike } = await import('../image.js');
  const { image } = toMnistLike(await readGreyPng(options.image));
  // The same picture n times: each copy gets its own random transform.
  const data = new Uint8Array(options.n * 784);
  for (let i = 0; i < options.n; i++) data.set(image.data, i * 784);
  const flow = new ImageDataGenerator(options.generator).flow(
    { data, shape: [options.n, 28, 28, 1] },
    undefined,
    { batchSize: options.n, seed: options.seed, shuffle: false },
  );
  const figure = augmentedBatch(flow.batch(0).xs);
  const files = await withOutputDir(options.out, () =>
    writeFigureFiles(figure, options.out, 'augmented'),
  );
  const file = files.png ?? files.svg;
  out.result(
    {
      file,
      svg: files.svg,
      n: options.n,
      options: options.generator,
      shape: figureImage(figure).shape,
    },
    `wrote ${files.svg} and ${file}`,
  );
}
