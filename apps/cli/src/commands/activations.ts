import { activations } from '@cnnlab/trainer';
import { activationFigure } from '@cnnlab/viz/node';
import { prepareBackend } from '../backend-choice.js';
import { examples, type Register } from '../command.js';
import { imageAt, loadDataset, parseDataset, requireImages } from '../data.js';
import { CliError, usageError } from '../errors.js';
import { writeFigureFiles } from '../figure-files.js';
import { loadCheckedModelDir, recordedDataDir } from '../model-dir.js';
import { forModel } from '../model-input.js';
import { path, whole } from '../options.js';
import { type Output, withOutputDir } from '../output.js';

export const registerActivations: Register = (parent, run) =>
  parent
    .command('activations')
    .description(
      'what each conv and pooling layer of a saved CNN sees in one test image (titled SVG figures and PNGs)',
    )
    .requiredOption(
      '--model-dir <dir>',
      'a folder written by cnnlab train (a CNN)',
      path('--model-dir'),
    )
    .option('--index <n>', 'which test image', whole('--index', { min: 0 }), 0)
    .option('--out <dir>', 'where the PNGs go', path('--out'), '.')
    .addHelpText(
      'after',
      examples(['cnnlab activations --model-dir models/cnn --index 3 --out figures']),
    )
    .action(async (opts, cmd) => {
      await run((out) => activationsCommand(opts, out), cmd);
    });

/** One activation grid PNG per conv and pooling layer, for one test image. */
export async function activationsCommand(
  options: { modelDir: string; index: number; out: string },
  out: Output,
): Promise<void> {
  await prepareBackend(out);
  const loaded = await loadCheckedModelDir(options.modelDir);
  const { model, meta } = loaded;
  // Its test images are grey digits of a data set; a folder of colour pictures is not (yet) read.
  if (meta.images) {
    throw new CliError(
      `${options.modelDir} was trained on the pictures in ${meta.images.dir}; activations shows models trained on a data set (--dataset) only`,
    );
  }
  const dataDir = await recordedDataDir(loaded);
  const data = await loadDataset(parseDataset(meta.dataset), { dataDir, classes: meta.classes });
  requireImages(data, 'test', meta.classes);
  if (options.index < 0 || options.index >= data.test.labels.length) {
    throw usageError(`--index must be within 0–${data.test.labels.length - 1}`);
  }
  const layers = model.layers.filter((l) => /Conv2D|Pooling2D/.test(l.getClassName()));
  if (layers.length === 0) {
    throw new CliError(`the model in ${options.modelDir} has no convolution layers to look inside`);
  }
  const digit = imageAt(data.test, options.index);
  // Resized and given channels as the model takes them (a VGG16 head needs 32×32×3 or more).
  const picture = forModel(
    { data: digit.data, shape: [1, ...digit.shape] },
    model.inputs[0]?.shape ?? [],
  );
  const maps = await activations(
    model,
    picture,
    layers.map((l) => l.name),
  );
  const files = await withOutputDir(options.out, async () => {
    const written = [];
    for (const { layer, activation } of maps) {
      const figure = activationFigure(activation, { layer });
      const file = await writeFigureFiles(figure, options.out, `activations-${layer}`);
      written.push({ layer, shape: activation.shape, file: file.png ?? file.svg, svg: file.svg });
    }
    return written;
  });
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
