import { kerasFormatOf, ModelError, saveKerasModel } from '@cnnlab/models/node';
import { prepareBackend } from '../backend-choice.js';
import { examples, type Register } from '../command.js';
import { CliError, usageError } from '../errors.js';
import { loadCheckedModelDir, type PicturesRecord } from '../model-dir.js';
import { path } from '../options.js';
import type { Output } from '../output.js';
import { PICTURES } from '../pictures.js';

export const registerExport: Register = (parent, run) =>
  parent
    .command('export')
    .description('write a trained model as a Keras file: .keras (Keras 3) or .h5 (Keras 2)')
    .requiredOption('--model-dir <dir>', 'a folder written by cnnlab train', path('--model-dir'))
    .requiredOption('--out <file>', 'the Keras file to write, FILE.keras or FILE.h5', path('--out'))
    .addHelpText(
      'after',
      examples([
        'cnnlab export --model-dir models/cnn --out cnn.keras',
        'cnnlab export --model-dir models/cnn --out cnn.h5',
      ]) +
        "\nThen in Python: keras.models.load_model('cnn.keras'). Class names are not part of a Keras file; cnnlab prints them.\n",
    )
    .action(async (opts, cmd) => {
      await run((out) => exportCommand(opts, out), cmd);
    });

export async function exportCommand(
  options: { modelDir: string; out: string },
  out: Output,
): Promise<Record<string, unknown>> {
  let format: ReturnType<typeof kerasFormatOf>;
  try {
    format = kerasFormatOf(options.out, '--out');
  } catch (error) {
    throw usageError((error as Error).message);
  }
  await prepareBackend(out);
  const { model, meta } = await loadCheckedModelDir(options.modelDir);
  let written: { path: string; bytes: number };
  try {
    written = await saveKerasModel(model, options.out);
  } catch (error) {
    if (error instanceof ModelError) {
      throw new CliError(`cannot export ${options.modelDir} to ${options.out}: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
  const kind = format === 'keras' ? 'Keras 3 archive' : 'Keras 2 HDF5 file';
  // A Keras file keeps the layers, not cnnlab's record: say how to bring a picture model back.
  const back = meta.images ? importBack(options.out, meta.images, meta.classNames) : undefined;
  const result = {
    out: written.path,
    bytes: written.bytes,
    format,
    classNames: meta.classNames,
    ...(back ? { importCommand: back } : {}),
  };
  out.result(
    result,
    `wrote ${options.out} (${kind}, ${written.bytes.toLocaleString('en-US')} bytes); in Python: keras.models.load_model(${JSON.stringify(options.out)})\nclasses, by output index: ${meta.classNames.join(', ')}${back ? `\nto import it back as a picture model: ${back}` : ''}`,
  );
  return result;
}

/** A word as a POSIX shell reads it back: as it is when plain, else in single quotes. */
const shellWord = (word: string) =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;

/** The `cnnlab import` line that gives the exported picture model its record again. */
function importBack(file: string, images: PicturesRecord, classNames: string[]): string {
  const flags = images.dir ? ['--images', images.dir] : ['--dataset', PICTURES];
  if (images.validationSplit !== undefined && images.seed !== undefined) {
    flags.push('--validation-split', String(images.validationSplit), '--seed', String(images.seed));
  }
  const words = [
    'cnnlab',
    'import',
    file,
    '--out',
    'DIR',
    ...flags,
    '--class-names',
    classNames.join(','),
  ];
  return words.map((w) => (w === 'DIR' ? w : shellWord(w))).join(' ');
}
