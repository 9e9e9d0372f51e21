import { examples, type Register } from '../command.js';
import { writeFigureFiles } from '../figure-files.js';
import { augmentationValue, path, SEED, whole } from '../options.js';
import { type Output, withOutputDir } from '../output.js';

export const registerAugment: Register = (parent, run) =>
  parent
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
    .action(async (image: string, opts, cmd) => {
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
