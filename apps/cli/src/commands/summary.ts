import { initBackend } from '@cnnlab/backend';
import { summary, summaryData } from '@cnnlab/models';
import { Option } from 'commander';
import { examples, type Register } from '../command.js';
import { usageError } from '../errors.js';
import { buildModel, MODELS, type ModelName, parseModel } from '../models.js';
import { IMAGE_SIZE, whole } from '../options.js';
import type { Output } from '../output.js';

export const registerSummary: Register = (parent, run) =>
  parent
    .command('summary')
    .description('Keras\u2019s summary table of one of the networks')
    .addOption(new Option('--model <name>', 'network').choices(MODELS).default('cnn'))
    .option(
      '--classes <n>',
      'output classes (2–10,000)',
      whole('--classes', { min: 2, max: 10_000, unit: 'a classifier tells at least two apart' }),
    )
    .option(
      '--image-size <px>',
      'vgg16-transfer: input side, 32–512 (default 150, as the workshop)',
      whole('--image-size', IMAGE_SIZE),
    )
    .addHelpText(
      'after',
      examples([
        'cnnlab summary --model dense',
        'cnnlab summary --model vgg16-transfer --classes 3',
      ]),
    )
    .action(async (opts, cmd) => {
      const model = parseModel(opts.model);
      const classes = opts.classes ?? (model === 'sign' ? 24 : model === 'vgg16-transfer' ? 3 : 10);
      if (opts.imageSize && model !== 'vgg16-transfer') {
        throw usageError('--image-size is for --model vgg16-transfer');
      }
      const imageSize = opts.imageSize ?? 150;
      await run((out) => summaryCommand({ model, classes, imageSize }, out), cmd);
    });

export async function summaryCommand(
  options: { model: ModelName; classes: number; imageSize: number },
  out: Output,
): Promise<void> {
  // Building on the chosen backend keeps tfjs from printing its tfjs-node hint.
  await initBackend();
  const model = await buildModel(options.model, options.classes, { imageSize: options.imageSize });
  out.result(summaryData(model), summary(model));
}
