/** Drawing helpers: elements by id, and RGBA images from @cnnlab/viz into canvases. */
import type { RgbaImage } from '@cnnlab/viz';

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`web: element #${id} is missing from index.html`);
  return element as T;
}

/** Puts an RGBA image `[h, w, 4]` into a canvas at its own size. */
export function paint(canvas: HTMLCanvasElement, image: RgbaImage): void {
  const [h, w] = image.shape;
  canvas.width = w;
  canvas.height = h;
  const context = canvas.getContext('2d');
  if (!context) return;
  context.putImageData(new ImageData(new Uint8ClampedArray(image.data), w, h), 0, 0);
}
