import { extname } from 'node:path';
import { VizError } from '../errors.js';
import { type Figure, figureImage, figureSvg } from '../figure.js';
import type { RgbaImage } from '../image.js';
import { encodePng } from './png.js';
import { writeFileAtomic } from './write-file.js';

/** A panel's pixels as a PNG data: URI, so the SVG carries them inside. */
export const pngDataUri = (image: RgbaImage): string =>
  `data:image/png;base64,${Buffer.from(encodePng(image)).toString('base64')}`;

/** figureSvg in Node: each panel embedded as a PNG. */
export function figureToSvg(figures: Figure | readonly Figure[]): string {
  return figureSvg(figures, { imageHref: pngDataUri });
}

/**
 * A figure written atomically: `.svg` with its titles, colour bars and caption; `.png` its panels
 * alone on white (pixels carry no text). A VizError names the path when it cannot be written.
 */
export async function writeFigure(
  figures: Figure | readonly Figure[],
  path: string,
): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (ext === '.svg') return writeFileAtomic(path, figureToSvg(figures));
  if (ext === '.png') {
    const list = Array.isArray(figures) ? (figures as readonly Figure[]) : [figures as Figure];
    if (list.length !== 1) {
      throw new VizError(`${path}: a PNG holds one figure; write several side by side as .svg`, {
        source: path,
      });
    }
    return writeFileAtomic(path, encodePng(figureImage(list[0] as Figure)));
  }
  throw new VizError(`${path}: expected a .svg or .png file name`, { source: path });
}
