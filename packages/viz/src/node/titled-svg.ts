import { figure, upscale } from '../figure.js';
import { asImage, type ImageInput, toRgba } from '../image.js';
import { figureToSvg } from './figure-file.js';
import { writeFileAtomic } from './write-file.js';

export interface TitledSvgOptions {
  /** Whole-number upscaling, drawn with crisp pixels. */
  scale?: number;
}

/**
 * An image under a title (a layer name, say) as a standalone SVG: the title as SVG text, the
 * pixels as an embedded PNG, so the picture itself carries no text.
 */
export function titledSvg(
  image: ImageInput,
  title: string,
  options: TitledSvgOptions = {},
): string {
  const pixels = upscale(toRgba(asImage(image, 'image')), options.scale ?? 1);
  return figureToSvg(figure([{ title, image: pixels }], { columns: 1 }));
}

/** titledSvg written atomically to `path`; a VizError naming the path when it cannot be. */
export async function writeTitledSvg(
  image: ImageInput,
  title: string,
  path: string,
  options: TitledSvgOptions = {},
): Promise<void> {
  await writeFileAtomic(path, titledSvg(image, title, options));
}
