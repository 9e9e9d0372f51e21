import { initBackend } from '@cnnlab/backend';
import {
  convolve2d,
  FILTER_NAMES,
  type FilterName,
  namedKernel,
  workshopFilterFigure,
} from '@cnnlab/kernels';
import { summary, summaryData } from '@cnnlab/models';
import { type Figure, figureImage, filterFigure, terminalPreview } from '@cnnlab/viz/node';
import { CliError, usageError } from '../errors.js';
import { writeFigureFiles } from '../figure-files.js';
import { readGreyPng } from '../image.js';
import { type Output, withOutputDir } from '../output.js';
import { buildModel, type ModelName } from '../training.js';

export async function summaryCommand(
  options: { model: ModelName; classes: number; imageSize: number },
  out: Output,
): Promise<void> {
  // Building on the chosen backend keeps tfjs from printing its tfjs-node hint.
  await initBackend();
  const model = await buildModel(options.model, options.classes, { imageSize: options.imageSize });
  out.result(summaryData(model as never), summary(model as never));
}

export async function backendCommand(
  options: { prefer?: string; force?: string },
  out: Output,
): Promise<void> {
  let choice: Awaited<ReturnType<typeof initBackend>>;
  try {
    choice = await initBackend(
      options.force
        ? { force: options.force, askedBy: `--backend ${options.force}` }
        : options.prefer
          ? { prefer: options.prefer, askedBy: `--prefer ${options.prefer}` }
          : {},
    );
  } catch (error) {
    throw new CliError(`backend ${options.force}: ${(error as Error).message}`, { cause: error });
  }
  const lines = [
    `chosen: ${choice.id} (tfjs backend '${choice.backend}')`,
    `why: ${choice.reason}`,
    'tried:',
    ...choice.tried.map((t) => `  ${t.ok ? '✓' : '✗'} ${t.id}: ${t.reason}`),
  ];
  out.result(choice, lines.join('\n'));
}

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
