import { VizError } from '../errors.js';
import { asImage, type ImageInput, imageDims } from '../image.js';
import { encodePng } from './png.js';
import { writeFileAtomic } from './write-file.js';

export interface TitledSvgOptions {
  /** Whole-number upscaling, drawn with crisp pixels. */
  scale?: number;
}

const ENTITIES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  "'": '&apos;',
  '"': '&quot;',
};

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (ch) => ENTITIES[ch]);

/**
 * An image under a title (a layer name, say) as a standalone SVG: the title as SVG text, the
 * pixels as an embedded PNG, so the picture itself carries no text.
 */
export function titledSvg(
  image: ImageInput,
  title: string,
  options: TitledSvgOptions = {},
): string {
  const [h, w] = imageDims(asImage(image, 'image'), 'image');
  const scale = options.scale ?? 1;
  if (!Number.isInteger(scale) || scale < 1) {
    throw new VizError(`scale: expected a positive integer, got ${scale}`, { source: 'scale' });
  }
  const png = Buffer.from(encodePng(image)).toString('base64');
  const head = 24;
  const width = w * scale;
  const height = h * scale + head;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(title)}</title>`,
    `<text x="0" y="17" font-family="sans-serif" font-size="14">${escapeXml(title)}</text>`,
    `<image x="0" y="${head}" width="${width}" height="${h * scale}" style="image-rendering:pixelated" href="data:image/png;base64,${png}"/>`,
    '</svg>',
  ].join('\n');
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
