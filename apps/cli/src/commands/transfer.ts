import { join } from 'node:path';
import { writeSvg } from '@cnnlab/viz/charts';
import { prepareBackend } from '../backend-choice.js';
import { examples, type Register } from '../command.js';
import { loadDataset } from '../data.js';
import { usageError } from '../errors.js';
import type { Interrupt } from '../interrupt.js';
import { backendOption, parseWhole, path, seedOption, whole } from '../options.js';
import { type Output, withOutputDir, writeTextAtomic } from '../output.js';
import { runTransfer, TARGET_DIGITS, transferFigure, transferTable } from '../transfer.js';

/** `--examples 10,30,100`: training images per new digit, one comparison each. */
export function parseExamples(value: string): number[] {
  const counts = value
    .split(',')
    .map((part) => parseWhole(part.trim(), '--examples', { min: 1, max: 100_000 }));
  if (new Set(counts).size !== counts.length) {
    throw usageError(`--examples lists a number twice: '${value}'`);
  }
  return counts;
}

export const registerTransfer: Register = (parent, run) =>
  parent
    .command('transfer')
    .description(
      'transfer learning on the embedded digits: the CNN learns 0\u20134, its frozen convolutions learn 5\u20139 from a few examples, against the same CNN from scratch',
    )
    .option(
      '--examples <list>',
      'training images per new digit, one comparison each',
      parseExamples,
      [10, 30, 100],
    )
    .option(
      '--epochs <n>',
      'epochs of both few-example trainings',
      whole('--epochs', { min: 1, max: 10_000 }),
      5,
    )
    .option(
      '--base-epochs <n>',
      'epochs of the base network on digits 0\u20134',
      whole('--base-epochs', { min: 1, max: 10_000 }),
      3,
    )
    .option(
      '--batch-size <n>',
      'batch size of the few-example trainings',
      whole('--batch-size', { min: 1, max: 100_000 }),
      16,
    )
    .addOption(seedOption('seed of initial weights, the examples drawn and every order', 1))
    .addOption(backendOption())
    .option(
      '--out <dir>',
      'where to write transfer.svg and transfer.json',
      path('--out'),
      'cnnlab-transfer',
    )
    .addHelpText(
      'after',
      examples([
        'cnnlab transfer --out transfer',
        'cnnlab transfer --examples 10,30,100 --epochs 20 --out transfer-20',
        'cnnlab transfer --examples 5 --epochs 1 --base-epochs 1 --json --out /tmp/t',
      ]) +
        '\nThe base is the workshop CNN trained on every training digit 0\u20134; its layers up to Flatten are\n' +
        'frozen and get a new head (Dense 64 relu, Dense 5 softmax). Both networks are scored on every test\n' +
        'digit 5\u20139. Few epochs and few examples are where transfer pays; with --epochs 20 the scratch\n' +
        'network catches up from about 30 examples a digit.\n',
    )
    .action(async (opts, cmd) => {
      await run((out, interrupt) => transferCommand(opts, out, interrupt), cmd);
    });

export interface TransferOptions {
  examples: number[];
  epochs: number;
  baseEpochs: number;
  batchSize: number;
  seed: number;
  backend?: string;
  out: string;
}

export async function transferCommand(
  options: TransferOptions,
  out: Output,
  interrupt: Interrupt,
): Promise<Record<string, unknown>> {
  // Read and check the data before any folder exists: a bad --examples fails at once.
  const data = await loadDataset('mnist');
  const largest = Math.max(...options.examples);
  for (const digit of TARGET_DIGITS) {
    const count = data.train.labels.filter((l) => l === digit).length;
    if (count < largest) {
      throw usageError(
        `--examples ${largest}: the training split (${data.description}) has ${count} images of digit ${digit}; expected at most ${count} per digit`,
      );
    }
  }
  interrupt.stopGracefully();
  const summary = await withOutputDir(options.out, async () => {
    await prepareBackend(out, options.backend);
    out.info(
      `data: ${data.description}; the CNN learns digits 0\u20134, then 5\u20139 from ${options.examples.join(', ')} examples each`,
    );
    const result = await runTransfer(data, options, out, interrupt);
    const figure = join(options.out, 'transfer.svg');
    const numbers = join(options.out, 'transfer.json');
    await writeSvg(transferFigure(result), figure);
    const record = { ...result, data: data.description, files: [figure, numbers] };
    await writeTextAtomic(numbers, `${JSON.stringify(record, null, 2)}\n`);
    return record;
  });
  out.result(summary, `${transferTable(summary)}\nwrote ${summary.files.join(' and ')}`);
  return summary;
}
