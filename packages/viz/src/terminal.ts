import { VizError } from './errors.js';
import { type ImageInput, toRgba } from './image.js';

export interface TerminalPreviewOptions {
  /** 24-bit colour escapes with '▀' half blocks; false: greyscale characters only. */
  color?: boolean;
  /** Columns of the preview; the image's width (at most 80) by default. */
  width?: number;
}

const RAMP = ' .:-=+*#%@';

/**
 * A text preview of an image for a terminal. With colour, each character is an upper half block
 * whose foreground is one pixel row and background the next, so a text row shows two pixel rows.
 * Without colour, each character shows the mean brightness of two pixel rows on the ramp
 * ' .:-=+*#%@'. Transparent pixels count as black. Lines end with '\n' except the last.
 */
export function terminalPreview(image: ImageInput, options: TerminalPreviewOptions = {}): string {
  const rgba = toRgba(image);
  const [h, w] = rgba.shape;
  const width = options.width ?? Math.min(w, 80);
  if (!Number.isInteger(width) || width < 1) {
    throw new VizError(`width: expected a positive integer, got ${width}`, { source: 'width' });
  }
  if (h === 0 || w === 0) return '';
  // Nearest-neighbour resampling, keeping the aspect ratio.
  const height = Math.max(1, Math.round((h * width) / w));
  const pixel = (x: number, y: number): [number, number, number] => {
    const sx = Math.min(w - 1, Math.floor((x * w) / width));
    const sy = Math.min(h - 1, Math.floor((y * h) / height));
    const i = (sy * w + sx) * 4;
    const a = rgba.data[i + 3] / 255;
    return [
      Math.round(rgba.data[i] * a),
      Math.round(rgba.data[i + 1] * a),
      Math.round(rgba.data[i + 2] * a),
    ];
  };
  const lines: string[] = [];
  for (let y = 0; y < height; y += 2) {
    let line = '';
    for (let x = 0; x < width; x++) {
      const top = pixel(x, y);
      const bottom = y + 1 < height ? pixel(x, y + 1) : undefined;
      if (options.color === false) {
        // Rounded, so a grey of 128 reads as 128 despite the weights' float sum.
        const lum = (p: [number, number, number]) =>
          Math.round(0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]);
        const value = bottom ? (lum(top) + lum(bottom)) / 2 : lum(top);
        line += RAMP[Math.min(RAMP.length - 1, Math.floor((value / 256) * RAMP.length))];
      } else {
        const bg = bottom ? `\x1b[48;2;${bottom.join(';')}m` : '\x1b[49m';
        line += `\x1b[38;2;${top.join(';')}m${bg}▀`;
      }
    }
    lines.push(options.color === false ? line : `${line}\x1b[0m`);
  }
  return lines.join('\n');
}
