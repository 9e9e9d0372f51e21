import { NODE_CANDIDATES } from '@cnnlab/backend/node';
import * as tf from '@tensorflow/tfjs-core';
import { Command, CommanderError, Option } from 'commander';
import { augmentationValue, parseAugment } from './augment-options.js';
import { benchCommand } from './commands/bench.js';
import { evaluateCommand } from './commands/evaluate.js';
import { fetchCommand } from './commands/fetch.js';
import { activationsCommand, augmentCommand, datasetsInfo } from './commands/inspect.js';
import { predictCommand } from './commands/predict.js';
import { backendCommand, filtersCommand, summaryCommand } from './commands/small.js';
import { trainCommand } from './commands/train.js';
import { workshop } from './commands/workshop.js';
import { DATASETS, parseClasses, parseDataset } from './data.js';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, usageError } from './errors.js';
import { path, whole } from './flag-values.js';
import { type Interrupt, InterruptedError, watchSignals } from './interrupt.js';
import { makeOutput, type Output } from './output.js';
import { MODELS, parseModel } from './training.js';

// The ranges of the numeric flags: a value outside one is a usage error that states it.
const POSITIVE = { min: 1 };
const SEED = { min: 0, max: 2 ** 32 - 1 };
const EPOCHS = { min: 1, max: 100_000 };
const BATCH = { min: 1, max: 100_000 };
/** VGG16's five 2×2 poolings need a side of at least 32 pixels; 512 keeps its head in memory. */
const IMAGE_SIZE = { min: 32, max: 512, unit: 'pixels; VGG16 needs at least 32' };

/** The ids initBackend knows, fastest first. */
const BACKENDS = NODE_CANDIDATES.map((c) => c.id);

const EXIT_HELP = `
Exit codes: 0 ok, 1 failure (bad data, model or file), 2 usage error (unknown command, flag or value).`;

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** Builds the command tree; `run` receives each command's work so main can report errors once. */
export function buildProgram(
  run: (
    work: (out: Output, interrupt: Interrupt) => Promise<unknown>,
    cmd: Command,
  ) => Promise<void>,
): Command {
  const program = new Command('cnnlab')
    .description('The Keras workshop on convolutional networks, from the command line.')
    .version('0.0.0')
    .option('--json', 'machine-readable output on stdout (people\u2019s lines go to stderr)')
    .option('-q, --quiet', 'no progress or status lines')
    .option('--verbose', 'show the stack of an error')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      examples([
        'cnnlab workshop --quick --out report',
        'cnnlab train --model cnn --epochs 2 --out models/cnn',
        'cnnlab predict --model-dir models/cnn digit.png',
      ]) + EXIT_HELP,
    );

  program
    .command('workshop')
    .description('run the whole workshop on the embedded digits and write a report folder')
    .option('--quick', 'a short configuration (1 epoch each) that finishes in seconds')
    .option('--out <dir>', 'report folder', path('--out'), 'cnnlab-report')
    .option('--sign-mnist <csv...>', 'Kaggle sign_mnist_train.csv and sign_mnist_test.csv')
    .option(
      '--seed <n>',
      'seed of initial weights, order and augmentation',
      whole('--seed', SEED),
      1,
    )
    .addOption(new Option('--backend <id>', 'force a backend').choices(BACKENDS))
    .addHelpText(
      'after',
      examples([
        'cnnlab workshop --quick --out /tmp/report',
        'cnnlab workshop --sign-mnist sign_mnist_train.csv sign_mnist_test.csv',
      ]),
    )
    .action(async (opts, cmd: Command) => {
      let sign: [string, string] | undefined;
      if (opts.signMnist) {
        if (opts.signMnist.length !== 2 || opts.signMnist.some((f: string) => f.trim() === ''))
          throw usageError('--sign-mnist expects two files: TRAIN.csv TEST.csv');
        sign = [opts.signMnist[0], opts.signMnist[1]];
      }
      await run(
        (out, interrupt) =>
          workshop(
            {
              quick: opts.quick,
              out: opts.out,
              seed: opts.seed,
              ...(sign ? { signMnist: sign } : {}),
              ...(opts.backend ? { backend: opts.backend } : {}),
            },
            out,
            interrupt,
          ).then((metrics) => out.result(metrics, '')),
        cmd,
      );
    });

  program
    .command('train')
    .description('train one of the workshop\u2019s networks and save it with its history')
    .addOption(new Option('--model <name>', 'network').choices(MODELS).default('cnn'))
    .addOption(new Option('--dataset <name>', 'data set').choices(DATASETS).default('mnist'))
    .option(
      '--data-dir <dir>',
      'folder with the IDX files (MNIST) or Kaggle CSVs (sign-mnist)',
      path('--data-dir'),
    )
    .option('--classes <list>', 'keep these labels, relabelled 0…k−1 (e.g. 0,1,21)')
    .option('--epochs <n>', 'passes over the data', whole('--epochs', EPOCHS), 1)
    .option('--batch-size <n>', 'samples per step', whole('--batch-size', BATCH), 64)
    .option(
      '--augment <spec>',
      'augment on the fly: rotation=40,width=0.2,height=0.2 (also shear, zoom)',
      parseAugment,
    )
    .addOption(new Option('--backend <id>', 'force a backend').choices(BACKENDS))
    .option('--seed <n>', 'seed of initial weights and order', whole('--seed', SEED))
    .option(
      '--limit <n>',
      'use only the first N train and N test images',
      whole('--limit', POSITIVE),
    )
    .option(
      '--image-size <px>',
      'vgg16-transfer: digits resized to this square colour size (32–512; default 32)',
      whole('--image-size', IMAGE_SIZE),
    )
    .option(
      '--weights <path>',
      "vgg16-transfer: Keras's VGG16 weights converted with tensorflowjs_converter (folder or model.json)",
      path('--weights'),
    )
    .requiredOption('--out <dir>', 'where to save the model', path('--out'))
    .addHelpText(
      'after',
      examples([
        'cnnlab train --model dense --epochs 10 --batch-size 256 --out models/dense',
        'cnnlab train --model sign --dataset sign-mnist --data-dir data --classes 0,1,21 --epochs 5 --out models/rps',
        'cnnlab train --model cnn --augment rotation=40,width=0.2,height=0.2 --out models/cnn-aug',
        'cnnlab train --model vgg16-transfer --weights vgg16-tfjs/ --limit 2000 --epochs 3 --out models/vgg',
      ]),
    )
    .action(async (opts, cmd: Command) => {
      const classes = parseClasses(opts.classes);
      const augment: Record<string, number> | undefined = opts.augment;
      await run(
        (out, interrupt) =>
          trainCommand(
            {
              model: parseModel(opts.model),
              dataset: parseDataset(opts.dataset),
              epochs: opts.epochs,
              batchSize: opts.batchSize,
              out: opts.out,
              ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
              ...(classes ? { classes } : {}),
              ...(augment ? { augment } : {}),
              ...(opts.backend ? { backend: opts.backend } : {}),
              ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
              ...(opts.limit ? { limit: opts.limit } : {}),
              ...(opts.imageSize ? { imageSize: opts.imageSize } : {}),
              ...(opts.weights ? { weights: opts.weights } : {}),
            },
            out,
            interrupt,
          ),
        cmd,
      );
    });

  program
    .command('evaluate')
    .description(
      'score a saved model on its test set: accuracy, per class, confusion matrix (SVG heatmap)',
    )
    .requiredOption('--model-dir <dir>', 'a folder written by cnnlab train', path('--model-dir'))
    .addOption(
      new Option('--dataset <name>', 'data set (default: the one it was trained on)').choices(
        DATASETS,
      ),
    )
    .option('--data-dir <dir>', 'folder with the data files', path('--data-dir'))
    .option('--out <dir>', 'where confusion.svg goes (default: the model folder)', path('--out'))
    .option('--limit <n>', 'score only the first N test images', whole('--limit', POSITIVE))
    .addHelpText(
      'after',
      examples([
        'cnnlab evaluate --model-dir models/cnn',
        'cnnlab evaluate --model-dir models/cnn --json',
      ]),
    )
    .action(async (opts, cmd: Command) => {
      await run(
        (out) =>
          evaluateCommand(
            {
              modelDir: opts.modelDir,
              ...(opts.dataset ? { dataset: parseDataset(opts.dataset) } : {}),
              ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
              ...(opts.out ? { out: opts.out } : {}),
              ...(opts.limit ? { limit: opts.limit } : {}),
            },
            out,
          ),
        cmd,
      );
    });

  program
    .command('predict')
    .description('classify PNG images of any size (made 28×28 grey, light on dark, like MNIST)')
    .argument('<images...>', 'PNG files')
    .requiredOption('--model-dir <dir>', 'a folder written by cnnlab train', path('--model-dir'))
    .option('--top <k>', 'how many classes to list', whole('--top', { min: 1, max: 1000 }), 3)
    .option('--preview', 'draw each image in the terminal as the network sees it')
    .addHelpText(
      'after',
      examples([
        'cnnlab predict --model-dir models/cnn seven.png',
        'cnnlab predict --model-dir models/cnn *.png --json',
      ]),
    )
    .action(async (images: string[], opts, cmd: Command) => {
      await run(
        (out) =>
          predictCommand(
            { modelDir: opts.modelDir, images, top: opts.top, preview: opts.preview },
            out,
          ),
        cmd,
      );
    });

  program
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
    .action(async (opts, cmd: Command) => {
      const model = parseModel(opts.model);
      const classes = opts.classes ?? (model === 'sign' ? 24 : model === 'vgg16-transfer' ? 3 : 10);
      if (opts.imageSize && model !== 'vgg16-transfer') {
        throw usageError('--image-size is for --model vgg16-transfer');
      }
      const imageSize = opts.imageSize ?? 150;
      await run((out) => summaryCommand({ model, classes, imageSize }, out), cmd);
    });

  program
    .command('filters')
    .description(
      'convolve a PNG with classic kernels (default: the workshop\u2019s 2×2 figure, as SVG and PNG)',
    )
    .argument('<image>', 'PNG file')
    .option(
      '--kernel <name>',
      'one kernel: smoothing, horizontal-edge, vertical-edge, edge-detector, sobel-x, …, box, gaussian',
    )
    .option('--mode <mode>', 'valid, same or full', 'valid')
    .option('--out <dir>', 'where the SVG and PNG go', path('--out'), '.')
    .addHelpText(
      'after',
      examples([
        'cnnlab filters digit.png --out figs',
        'cnnlab filters photo.png --kernel edge-detector --mode same',
      ]),
    )
    .action(async (image: string, opts, cmd: Command) => {
      await run(
        (out) =>
          filtersCommand({ image, kernel: opts.kernel, mode: opts.mode, out: opts.out }, out),
        cmd,
      );
    });

  program
    .command('backend')
    .description('which tfjs backend initBackend chooses here, and why')
    .addOption(new Option('--prefer <id>', 'try this one first').choices(BACKENDS))
    .addOption(new Option('--backend <id>', 'this one or an error saying why').choices(BACKENDS))
    .addHelpText(
      'after',
      examples(['cnnlab backend', 'cnnlab backend --prefer wasm', 'cnnlab backend --json']),
    )
    .action(async (opts, cmd: Command) => {
      await run((out) => backendCommand({ prefer: opts.prefer, force: opts.backend }, out), cmd);
    });

  program
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
    .action(async (opts, cmd: Command) => {
      await run(
        (out) =>
          activationsCommand({ modelDir: opts.modelDir, index: opts.index, out: opts.out }, out),
        cmd,
      );
    });

  program
    .command('augment')
    .description(
      'new pictures from one PNG with the workshop\u2019s ImageDataGenerator (as 28×28 grey)',
    )
    .argument('<image>', 'PNG file')
    .option('--n <n>', 'how many variants (1–256)', whole('--n', { min: 1, max: 256 }), 9)
    .option(
      '--rotation <deg>',
      'rotation range in degrees (0–360)',
      augmentationValue('rotation', '--rotation'),
      40,
    )
    .option(
      '--width <f>',
      'width shift range, a fraction of the width (0 to below 1)',
      augmentationValue('width', '--width'),
      0.2,
    )
    .option(
      '--height <f>',
      'height shift range, a fraction of the height (0 to below 1)',
      augmentationValue('height', '--height'),
      0.2,
    )
    .option('--seed <n>', 'seed of the transforms', whole('--seed', SEED), 1)
    .option('--out <dir>', 'where augmented.svg and augmented.png go', path('--out'), '.')
    .addHelpText('after', examples(['cnnlab augment digit.png --n 16 --rotation 20 --out figures']))
    .action(async (image: string, opts, cmd: Command) => {
      const generator = {
        rotationRange: opts.rotation as number,
        widthShiftRange: opts.width as number,
        heightShiftRange: opts.height as number,
      };
      await run(
        (out) =>
          augmentCommand({ image, n: opts.n, generator, seed: opts.seed, out: opts.out }, out),
        cmd,
      );
    });

  program
    .command('bench')
    .description(
      'how fast the workshop\u2019s networks train and predict on each backend here, beside PyTorch and scipy',
    )
    .option(
      '--backends <list>',
      'backend ids to measure, e.g. native,wasm,wasm-1thread (default: all but cpu)',
    )
    .option(
      '--steps <n>',
      'timed training steps per network',
      whole('--steps', { min: 1, max: 100_000 }),
      20,
    )
    .option(
      '--python <path>',
      'the python3 whose PyTorch and scipy are the reference (default: python3, then /usr/bin/python3)',
    )
    .option('--no-reference', 'skip the PyTorch and scipy reference')
    .addHelpText(
      'after',
      examples([
        'cnnlab bench',
        'cnnlab bench --backends native,wasm,cpu --steps 5',
        'cnnlab bench --json --no-reference',
      ]) +
        '\nFigures are seconds per 1,000 training images (lower is better) and images per second for prediction.\n',
    )
    .action(async (opts, cmd: Command) => {
      const backends = opts.backends
        ? String(opts.backends)
            .split(',')
            .map((s: string) => s.trim())
            .filter(Boolean)
        : undefined;
      await run(
        (out) =>
          benchCommand(
            {
              steps: opts.steps,
              ...(opts.reference === false ? { python: null } : {}),
              ...(opts.python ? { python: opts.python } : {}),
              ...(backends ? { backends } : {}),
            },
            out,
          ),
        cmd,
      );
    });

  const datasets = program
    .command('datasets')
    .description('about the data sets: info, fetch')
    .addHelpText(
      'after',
      examples(['cnnlab datasets info --dataset mnist', 'cnnlab datasets fetch --dataset mnist']),
    );
  datasets
    .command('info')
    .description('shapes, source and images per class of a data set')
    .addOption(new Option('--dataset <name>', 'data set').choices(DATASETS).default('mnist'))
    .option('--data-dir <dir>', 'folder with the data files', path('--data-dir'))
    .addHelpText(
      'after',
      examples([
        'cnnlab datasets info',
        'cnnlab datasets info --dataset sign-mnist --data-dir kaggle --json',
      ]),
    )
    .action(async (opts, cmd: Command) => {
      await run(
        (out) =>
          datasetsInfo(
            {
              dataset: parseDataset(opts.dataset),
              ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
            },
            out,
          ),
        cmd,
      );
    });

  datasets
    .command('fetch')
    .description(
      'download the full MNIST or Fashion-MNIST once into the cache, where every command finds it',
    )
    .addOption(new Option('--dataset <name>', 'data set').choices(DATASETS).default('mnist'))
    .option('--url <url>', 'base URL of the four .gz files (default: the public mirror)')
    .option(
      '--cache-dir <dir>',
      'where to keep them (default: ~/.cnnlab/datasets/<name>)',
      path('--cache-dir'),
    )
    .option('--no-verify', 'skip the check against the published sizes and MD5s (for own mirrors)')
    .addHelpText(
      'after',
      examples([
        'cnnlab datasets fetch',
        'cnnlab datasets fetch --dataset fashion-mnist',
        'CNNLAB_HOME=/data/cnnlab cnnlab datasets fetch --url http://mirror.local/mnist/',
      ]) +
        '\nAfter a fetch, --dataset mnist means all 70,000 digits (60,000 / 10,000) instead of the embedded 10,000.\n',
    )
    .action(async (opts, cmd: Command) => {
      await run(
        (out, interrupt) =>
          fetchCommand(
            {
              dataset: parseDataset(opts.dataset),
              verify: opts.verify !== false,
              ...(opts.url !== undefined ? { url: opts.url } : {}),
              ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
            },
            out,
            interrupt,
          ),
        cmd,
      );
    });

  return program;
}

/** Runs the CLI on `argv` (without node and the script) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let verbose = argv.includes('--verbose');
  // tfjs's own notices (its tfjs-node advert on the cpu backend) are status lines too.
  if (argv.includes('--quiet') || argv.includes('-q')) tf.env().set('PROD', true);
  let code = EXIT_OK;
  const report = (thrown: unknown) => {
    // Whatever a signal made fail (an aborted download, say) is reported as the interruption.
    const error =
      interrupt.caught && !(thrown instanceof InterruptedError)
        ? new InterruptedError(interrupt.caught)
        : thrown;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`cnnlab: ${message.split('\n')[0]}\n`);
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    code = error instanceof CliError ? error.exitCode : EXIT_FAILURE;
  };
  const interrupt = watchSignals();
  const program = buildProgram(async (work, cmd) => {
    const opts = cmd.optsWithGlobals();
    verbose = Boolean(opts.verbose);
    await work(makeOutput(opts), interrupt);
  });
  program.exitOverride();
  // Commander's own errors become our one line; help and version go to stdout as usual.
  program.configureOutput({ outputError: () => {} });
  const quietErrors = (command: Command) => {
    command.exitOverride();
    command.configureOutput({ outputError: () => {} });
    command.commands.forEach(quietErrors);
  };
  quietErrors(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.exitCode === 0 ||
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version'
      ) {
        return EXIT_OK;
      }
      if (error.code === 'commander.help') return EXIT_USAGE;
      process.stderr.write(`cnnlab: ${error.message.replace(/^error: /, '')}\n`);
      return EXIT_USAGE;
    }
    report(error);
  } finally {
    interrupt.dispose();
  }
  return code;
}
