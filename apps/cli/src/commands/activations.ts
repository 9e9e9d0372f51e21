import { basename } from 'node:path';
import type { Image } from '@cnnlab/datasets';
import { activations } from '@cnnlab/trainer';
import { activationFigure, DIGIT_SIDE, imageFigure } from '@cnnlab/viz/node';
import { prepareBackend } from '../backend-choice.js';
import { examples, type Register } from '../command.js';
import { imageAt, loadDataset, parseDataset, requireImages } from '../data.js';
import { CliError, usageError } from '../errors.js';
import { writeFigureFiles } from '../figure-files.js';
import { loadCheckedModelDir, type ModelDir, recordedDataDir } from '../model-dir.js';
import { forModel } from '../model-input.js';
import { readModelPicture } from '../model-picture.js';
import { path, whole } from '../options.js';
import { type Output, withOutputDir } from '../output.js';
import { testPictures } from '../test-pictures.js';

type ActivationsOptions = { modelDir: string; index: number; image?: string; out: string };

export const registerActivations: Register = (parent, run) =>
  parent
    .command('activations')
    .description(
      'what each conv and pooling layer of a saved CNN sees in one test image or picture of yours (titled SVG figures and PNGs)',
    )
    .requiredOption(
      '--model-dir <dir>',
      'a folder written by cnnlab train or import (a CNN)',
      path('--model-dir'),
    )
    .option(
      '--index <n>',
      'which test image (a picture model: which of the held-out pictures evaluate scores)',
      whole('--index', { min: 0 }),
      0,
    )
    .option(
      '--image <file>',
      'a PNG (or, for a picture model, JPEG) of your own instead, made as predict makes it',
      path('--image'),
    )
    .option('--out <dir>', 'where the PNGs go', path('--out'), '.')
    .addHelpText(
      'after',
      examples([
        'cnnlab activations --model-dir models/cnn --index 3 --out figures',
        'cnnlab activations --model-dir models/shapes --index 5 --out figures',
        'cnnlab activations --model-dir models/shapes --image photo.jpg --out figures',
      ]),
    )
    .action(async (opts, cmd) => {
      await run((out) => {
        // --index has a default: only one given on the command line clashes with --image.
        if (opts.image !== undefined && cmd.getOptionValueSource('index') === 'cli') {
          throw usageError('--index and --image exclude each other: show a test image or a file');
        }
        return activationsCommand(opts, out);
      }, cmd);
    });

/** The picture looked at, as the model takes it, and what it is for the result and titles. */
interface Shown {
  input: Image<Uint8Array>;
  /** The file it came from (a held-out picture's, or --image). */
  image?: string;
  index?: number;
  class?: number;
  label?: string;
  /** The input panel's title: the class, or the file's name. */
  title: string;
  /** A digit model's --image drawn dark on light, inverted as predict inverts it. */
  inverted?: boolean;
}

/** The test image at --index: a test digit of the recorded data set, or a held-out picture. */
async function testImage(loaded: ModelDir, options: ActivationsOptions): Promise<Shown> {
  const { model, meta } = loaded;
  const { index } = options;
  if (meta.images) {
    const { test, what } = await testPictures(loaded, {
      remedy: 'pass --image FILE to look at a picture of your own',
    });
    if (index >= test.labels.length) {
      throw usageError(`--index must be within 0–${test.labels.length - 1} (the ${what})`);
    }
    const picture = imageAt(test, index);
    const label = meta.classNames[test.labels[index] ?? 0] ?? '';
    return {
      input: { data: picture.data, shape: [1, ...picture.shape] },
      image: test.files[index],
      index,
      class: test.labels[index],
      label,
      title: label,
    };
  }
  const dataDir = await recordedDataDir(loaded);
  const data = await loadDataset(parseDataset(meta.dataset), { dataDir, classes: meta.classes });
  requireImages(data, 'test', meta.classes);
  if (index >= data.test.labels.length) {
    throw usageError(`--index must be within 0–${data.test.labels.length - 1}`);
  }
  const digit = imageAt(data.test, index);
  const label = data.classNames[data.test.labels[index] ?? 0] ?? '';
  return {
    // Resized and given channels as the model takes them (a VGG16 head needs 32×32×3 or more).
    input: forModel({ data: digit.data, shape: [1, ...digit.shape] }, model.inputs[0]?.shape ?? []),
    index,
    class: data.test.labels[index],
    label,
    title: label,
  };
}

/**
 * One activation grid per conv and pooling layer for one test image or --image, and the input as
 * the network sees it (colour for a colour picture model) in `activations-input`.
 */
export async function activationsCommand(options: ActivationsOptions, out: Output): Promise<void> {
  await prepareBackend(out);
  const loaded = await loadCheckedModelDir(options.modelDir);
  const { model } = loaded;
  const layers = model.layers.filter((l) => /Conv2D|Pooling2D/.test(l.getClassName()));
  if (layers.length === 0) {
    throw new CliError(`the model in ${options.modelDir} has no convolution layers to look inside`);
  }
  let shown: Shown;
  if (options.image) {
    const { input, inverted } = await readModelPicture(options.image, loaded);
    shown = { input, image: options.image, title: basename(options.image), inverted };
  } else shown = await testImage(loaded, options);
  const maps = await activations(
    model,
    shown.input,
    layers.map((l) => l.name),
  );
  const inputShape = shown.input.shape.slice(1);
  const written = await withOutputDir(options.out, async () => {
    // viz's activation figure draws the maps only: the input is a figure of its own.
    const inputFigure = imageFigure(shown.input, {
      titles: [shown.title],
      title: `input · ${inputShape.join('×')}`,
      side: DIGIT_SIDE,
    });
    const input = await writeFigureFiles(inputFigure, options.out, 'activations-input');
    const files = [];
    for (const { layer, activation } of maps) {
      const figure = activationFigure(activation, { layer });
      const file = await writeFigureFiles(figure, options.out, `activations-${layer}`);
      files.push({ layer, shape: activation.shape, file: file.png ?? file.svg, svg: file.svg });
    }
    return { input: { shape: inputShape, file: input.png ?? input.svg, svg: input.svg }, files };
  });
  const { image, index, label } = shown;
  out.result(
    {
      ...(index !== undefined ? { index } : {}),
      ...(image !== undefined ? { image } : {}),
      ...(shown.class !== undefined ? { class: shown.class, label } : {}),
      ...(shown.inverted ? { inverted: true } : {}),
      input: written.input,
      files: written.files,
    },
    [
      `input ${JSON.stringify(written.input.shape)} → ${written.input.file}`,
      ...written.files.map((f) => `${f.layer} ${JSON.stringify(f.shape)} → ${f.file}`),
    ].join('\n'),
  );
}
