import {
  convolve2d,
  FILTER_NAMES,
  type FilterName,
  namedKernel,
  workshopFilterFigure,
} from '@cnnlab/kernels';
import { type Figure, figureImage, filterFigure, terminalPreview } from '@cnnlab/viz/node';
import { examples, type Register } from '../command.js';
import { usageError } from '../errors.js';
import { writeFigureFiles } from '../figure-files.js';
import { readGreyPng } from '../image.js';
import { path } from '../options.js';
import { type Output, withOutputDir } from '../output.js';

export const registerFilters: Register = (parent, run) =>
  parent
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
    .action(async (image: string, opts, cmd) => {
      await run((out) => filtersCommand({ ...opts, image }, out), cmd);
    });

export async function filtersCommand(
  options: { image: string; kernel?: string; mode: string; out: string },
  out: Output,
): Promise<void> {
  if (!['valid', 'same', 'full'].includes(options.mode)) {
    throw usageError(`unknown mode '${options.mode}' (expected valid, same or full)`);
  }
  if (options.kernel && !(FILTER_NAMES as readonly string[]).includes(options.kernel)) {
    throw usageError(
      `unknown kernel '${options.kernel}' (expected one of ${FILTER_NAMES.join(', ')})`,
    );
  }
  // Read (and checked against the size limits) before the folder exists: a bad image leaves none.
  const image = await readGreyPng(options.image);
  let figure: Figure;
  let name: string;
  if (options.kernel) {
    const result = convolve2d(image, namedKernel(options.kernel as FilterName), {
      mode: options.mode as 'valid',
    });
    figure = filterFigure([
      { title: 'Original', image },
      { title: `${options.kernel}, mode ${options.mode}`, image: result },
    ]);
    name = `${options.kernel}-${options.mode}`;
  } else {
    figure = filterFigure(workshopFilterFigure(image));
    name = 'filters';
  }
  const files = await withOutputDir(options.out, () => writeFigureFiles(figure, options.out, name));
  const picture = figureImage(figure);
  const file = files.png ?? files.svg;
  if (!out.quiet && !out.json) out.info(terminalPreview(picture, { width: 64, color: false }));
  out.result({ file, svg: files.svg, shape: picture.shape }, `wrote ${files.svg} and ${file}`);
}
