import { loadKerasModel, ModelError } from '@cnnlab/models/node';
import { prepareBackend } from '../backend-choice.js';
import { examples, type Register } from '../command.js';
import { type DatasetName, parseDataset } from '../data.js';
import { CliError, usageError } from '../errors.js';
import { saveModelDir } from '../model-dir.js';
import { requireFiniteWeights } from '../model-weights.js';
import { datasetOption, parseClasses, path } from '../options.js';
import { type Output, withOutputDir } from '../output.js';

export const registerImport: Register = (parent, run) =>
  parent
    .command('import')
    .description(
      'turn a Keras model file (.h5 or .keras) into a model folder for evaluate and predict',
    )
    .argument('<file>', 'a Keras 2 full-model .h5 or a Keras 3 .keras file', path('<file>'))
    .requiredOption('--out <dir>', 'the model folder to write', path('--out'))
    .addOption(datasetOption('the data set it was trained on, for evaluate and predict', 'mnist'))
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
      ]),
    )
    .action(async (file, opts, cmd) => {
      const dataset = parseDataset(opts.dataset);
      const classNames =
        opts.classNames === undefined
          ? undefined
          : String(opts.classNames)
              .split(',')
              .map((s: string) => s.trim());
      await run(
        (out) =>
          importCommand({ file, out: opts.out, dataset, classes: opts.classes, classNames }, out),
        cmd,
      );
    });

export async function importCommand(
  options: {
    file: string;
    out: string;
    dataset: DatasetName;
    classes?: number[];
    classNames?: string[];
  },
  out: Output,
): Promise<Record<string, unknown>> {
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
  // A failed save leaves no new or half-written folder behind.
  await withOutputDir(options.out, () =>
    saveModelDir(model, options.out, {
      model: 'keras',
      dataset: options.dataset,
      classes: options.classes,
      classNames,
    }),
  );
  const result = {
    out: options.out,
    layers: model.layers.length,
    inputShape: model.inputs[0]?.shape,
    classNames,
  };
  out.result(
    result,
    `imported ${options.file} (${model.layers.length} layers, input ${JSON.stringify(model.inputs[0]?.shape)}, ${classes} outputs) into ${options.out}; next: cnnlab evaluate --model-dir ${options.out}`,
  );
  return result;
}
