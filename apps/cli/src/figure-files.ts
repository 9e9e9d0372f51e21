import { join } from 'node:path';
import { type Figure, writeFigure } from '@cnnlab/viz/node';

/**
 * A figure as the CLI writes it: `<name>.svg` (titles, colour bars) for reading, and `<name>.png`
 * (the panels' pixels) for slides and other tools. Returns the two file names.
 */
export async function writeFigureFiles(
  figure: Figure | readonly Figure[],
  dir: string,
  name: string,
): Promise<{ svg: string; png?: string }> {
  const svg = join(dir, `${name}.svg`);
  await writeFigure(figure, svg);
  // A PNG holds one figure; several side by side are an SVG only.
  if (Array.isArray(figure)) return { svg };
  const png = join(dir, `${name}.png`);
  await writeFigure(figure as Figure, png);
  return { svg, png };
}
