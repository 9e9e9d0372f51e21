import { examples, type Register } from '../command.js';
import { usageError } from '../errors.js';
import { backendOption, path, seedOption } from '../options.js';
import { workshop } from '../workshop/index.js';

export const registerWorkshop: Register = (parent, run) =>
  parent
    .command('workshop')
    .description('run the whole workshop on the embedded digits and write a report folder')
    .option('--quick', 'a short configuration (1 epoch each) that finishes in seconds')
    .option('--out <dir>', 'report folder', path('--out'), 'cnnlab-report')
    .option('--sign-mnist <csv...>', 'Kaggle sign_mnist_train.csv and sign_mnist_test.csv')
    .addOption(seedOption('seed of initial weights, order and augmentation', 1))
    .addOption(backendOption())
    .addHelpText(
      'after',
      examples([
        'cnnlab workshop --quick --out /tmp/report',
        'cnnlab workshop --sign-mnist sign_mnist_train.csv sign_mnist_test.csv',
      ]),
    )
    .action(async (opts, cmd) => {
      let signMnist: [string, string] | undefined;
      if (opts.signMnist) {
        if (opts.signMnist.length !== 2 || opts.signMnist.some((f: string) => f.trim() === ''))
          throw usageError('--sign-mnist expects two files: TRAIN.csv TEST.csv');
        signMnist = [opts.signMnist[0], opts.signMnist[1]];
      }
      await run(
        (out, interrupt) =>
          workshop(
            { quick: opts.quick, out: opts.out, seed: opts.seed, signMnist, backend: opts.backend },
            out,
            interrupt,
          ).then((metrics) => out.result(metrics, '')),
        cmd,
      );
    });
