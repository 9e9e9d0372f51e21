import { resolve } from 'node:path';
import { loadKerasModel, ModelError } from '@cnnlab/models/node';
import { Option } from 'commander';
import { prepareBackend } from '../backend-choice.js';
import { examples, type Register } from '../command.js';
import { DATASETS, type DatasetName, parseDataset } from '../data.js';
import { CliError, usageError } from '../errors.js';
import { folderProblem, type PicturesRecord, saveModelDir } from '../model-dir.js';
import { requireFiniteWeights } from '../model-weights.js';
import { parseClasses, parseValidationSplit, path, seedOption } from '../options.js';
import { type Output, withOutputDir } from '../output.js';
import { PICTURES, pictureFormatOf } from '../pictures.js';

/** What the model learnt: a data set by name, or (PICTURES) pictures, of a folder when known. */
type Learnt =
  | { dataset: DatasetName }
  | { dataset: typeof PICTURES; images?: string; validationSplit?: number; seed?: number };

export const registerImport: Register = (parent, run) =>
  parent
    .command('import')
    .description(
      'turn a Keras model file (.h5 or .keras) into a model folder for evaluate and predict',
    )
    .argument('<file>', 'a Keras 2 full-model .h5 or a Keras 3 .keras file', path('<file>'))
    .requiredOption('--out <dir>', 'the model folder to write', path('--out'))
    .addOption(
      new Option(
        '--dataset <name>',
        `the data set it was trained on, for evaluate and predict; ${PICTURES}: pictures of your own, made the size and colours of its input`,
      )
        .choices([...DATASETS, PICTURES])
        .default('mnist'),
    )
    .option(
      '--images <dir>',
      'a picture model: the folder of class subfolders it learnt, for evaluate (implies --dataset images)',
      path('--images'),
    )
    .option(
      '--validation-split <f>',
      'with --images: the part train held out, so evaluate scores the same pictures (with --seed)',
      parseValidationSplit,
    )
    .addOption(seedOption('with --images: the seed train drew the held-out part with'))
    .option(
      '--classes <list>',
      "the data set's labels the outputs stand for, in order (e.g. 0,1,21), as train --classes",
      parseClasses,
    )
    .option('--class-names <list>', 'names of the outputs, in order, e.g. rock,paper,scissors')
    .addHelpText(
      'after',
      examples([
        'cnnlab import mnist_cnn.h5 --out models/keras-cnn',
        'cnnlab evaluate --model-dir models/keras-cnn',
        'cnnlab import rps.keras --out models/rps --dataset sign-mnist --classes 0,1,21 --class-names A,B,V',
        'cnnlab import shapes.keras --out models/shapes --images shapes --validation-split 0.2 --seed 1 --class-names circle,square',
        'cnnlab import shapes.keras --out models/shapes --dataset images --class-names circle,square',
      ]),
    )
    .action(async (file, opts, cmd) => {
      const classNames =
        opts.classNames === undefined
          ? undefined
          : String(opts.classNames)
              .split(',')
              .map((s: string) => s.trim());
      await run((out) => {
        const given = (flag: string) => cmd.getOptionValueSource(flag) === 'cli';
        const learnt = learntFrom(opts, given('dataset'));
        return importCommand(
          { file, out: opts.out, learnt, classes: opts.classes, classNames },
          out,
        );
      }, cmd);
    });

/** --dataset, --images, --validation-split and --seed as one choice, or a usage error. */
function learntFrom(
  opts: { dataset: string; images?: string; validationSplit?: number; seed?: number },
  datasetGiven: boolean,
): Learnt {
  const { images, validationSplit, seed } = opts;
  if (images === undefined) {
    if (validationSplit !== undefined || seed !== undefined) {
      throw usageError('--validation-split and --seed are for --images DIR: the folder they split');
    }
    return opts.dataset === PICTURES
      ? { dataset: PICTURES }
      : { dataset: parseDataset(opts.dataset) };
  }
  if (datasetGiven && opts.dataset !== PICTURES) {
    throw usageError(
      `--images and --dataset ${opts.dataset} exclude each other: --images DIR is for a model trained on pictures`,
    );
  }
  if ((validationSplit === undefined) !== (seed === undefined)) {
    throw usageError(
      '--validation-split and --seed go together: the fraction and the seed train used (its record, or cnnlab export, shows them)',
    );
  }
  return {
    dataset: PICTURES,
    images,
    ...(validationSplit !== undefined && seed !== undefined ? { validationSplit, seed } : {}),
  };
}

export async function importCommand(
  options: {
    file: string;
    out: string;
    learnt: Learnt;
    classes?: number[];
    classNames?: string[];
  },
  out: Output,
): Promise<Record<string, unknown>> {
  const { learnt } = options;
  if (learnt.dataset === PICTURES && options.classes) {
    throw usageError(
      "--classes is for a data set's labels; name a picture model's classes with --class-names",
    );
  }
  if (learnt.dataset === PICTURES && learnt.images !== undefined && !options.classNames) {
    // The outputs' order is the model's, not necessarily the folder's: it is not guessed.
    throw usageError(
      '--images needs --class-names: the class subfolders in the order of the outputs (cnnlab export prints them)',
    );
  }
  await prepareBackend(out);
  let model: Awaited<ReturnType<typeof loadKerasModel>>;
  try {
    model = await loadKerasModel(options.file);
  } catch (error) {
    if (error instanceof ModelError) throw new CliError(error.message, { cause: error });
    throw error;
  }
  await requireFiniteWeights(model, options.file);
  const units = model.outputs[0]?.shape.at(-1);
  const classes = typeof units === 'number' ? units : 0;
  if (options.classes && options.classes.length !== classes) {
    throw usageError(
      `--classes has ${options.classes.length} labels; ${options.file} has ${classes} outputs`,
    );
  }
  const classNames =
    options.classNames ??
    (options.classes ?? Array.from({ length: classes }, (_, i) => i)).map((label) => String(label));
  if (classNames.length !== classes || classNames.some((n) => n === '')) {
    throw usageError(
      `--class-names has ${classNames.length} names; ${options.file} has ${classes} outputs (give one non-empty name each)`,
    );
  }
  const images =
    learnt.dataset === PICTURES ? await picturesRecord(learnt, model, options.file) : undefined;
  // A failed save leaves no new or half-written folder behind.
  await withOutputDir(options.out, () =>
    saveModelDir(model, options.out, {
      model: 'keras',
      dataset: learnt.dataset,
      ...(images ? { images } : {}),
      classes: options.classes,
      classNames,
    }),
  );
  const result = {
    out: options.out,
    layers: model.layers.length,
    inputShape: model.inputs[0]?.shape,
    classNames,
    ...(images ? { images } : {}),
  };
  const pictures = images
    ? `; pictures made ${images.size}×${images.size} ${images.colorMode}${images.dir ? '' : ' (no folder: evaluate needs --images DIR)'}`
    : '';
  out.result(
    result,
    `imported ${options.file} (${model.layers.length} layers, input ${JSON.stringify(model.inputs[0]?.shape)}, ${classes} outputs) into ${options.out}${pictures}; next: cnnlab ${images && !images.dir ? 'predict' : 'evaluate'} --model-dir ${options.out}`,
  );
  return result;
}

/**
 * A picture model's record: the size and colour mode its input shape implies, and the folder
 * (absolute, so evaluate finds it from anywhere) and split when given.
 */
async function picturesRecord(
  learnt: Extract<Learnt, { dataset: typeof PICTURES }>,
  model: Awaited<ReturnType<typeof loadKerasModel>>,
  file: string,
): Promise<PicturesRecord> {
  const format = pictureFormatOf(model.inputs[0]?.shape ?? [], file);
  if (learnt.images === undefined) return format;
  const problem = await folderProblem(learnt.images);
  if (problem)
    throw new CliError(
      `--images ${learnt.images} ${problem}; expected a folder of class subfolders`,
    );
  const { validationSplit, seed } = learnt;
  return {
    ...format,
    dir: resolve(learnt.images),
    ...(validationSplit !== undefined && seed !== undefined ? { validationSplit, seed } : {}),
  };
}
