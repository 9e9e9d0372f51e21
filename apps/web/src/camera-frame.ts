/**
 * Camera and picture pixels for section 9: the centre square of a video frame (or of any image
 * the canvas can draw) as RGB bytes, and RGB back to what a canvas paints.
 */

/** Draws the largest centred square of `source` into a `size`² canvas and reads it back as RGB. */
export function centreSquareRgb(
  source: HTMLVideoElement | HTMLImageElement | ImageBitmap,
  size: number,
  canvas: HTMLCanvasElement = document.createElement('canvas'),
): Uint8Array | null {
  const width = source instanceof HTMLVideoElement ? source.videoWidth : source.width;
  const height = source instanceof HTMLVideoElement ? source.videoHeight : source.height;
  const side = Math.min(width, height);
  if (side <= 0) return null;
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return null;
  context.drawImage(source, (width - side) / 2, (height - side) / 2, side, side, 0, 0, size, size);
  return rgbaToRgb(context.getImageData(0, 0, size, size).data);
}

export function rgbaToRgb(rgba: ArrayLike<number>): Uint8Array {
  const n = rgba.length / 4;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    rgb[i * 3] = rgba[i * 4];
    rgb[i * 3 + 1] = rgba[i * 4 + 1];
    rgb[i * 3 + 2] = rgba[i * 4 + 2];
  }
  return rgb;
}

export function rgbToImageData(rgb: Uint8Array, size: number): ImageData {
  const image = new ImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    image.data[i * 4] = rgb[i * 3];
    image.data[i * 4 + 1] = rgb[i * 3 + 1];
    image.data[i * 4 + 2] = rgb[i * 3 + 2];
    image.data[i * 4 + 3] = 255;
  }
  return image;
}

/** One RGB picture as PNG bytes (lossless: every pixel is opaque, so nothing is premultiplied). */
export async function rgbToPng(rgb: Uint8Array, size: number): Promise<Uint8Array> {
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser has no 2D canvas to write PNGs with');
  context.putImageData(rgbToImageData(rgb, size), 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the browser could not encode a PNG');
  return new Uint8Array(await blob.arrayBuffer());
}
