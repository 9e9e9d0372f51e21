/** Drawing helpers: RGBA images from @cnnlab/viz into canvases, grey images into RGBA. */
export interface Rgba {
  data: Uint8ClampedArray;
  shape: readonly number[];
}

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`web: element #${id} is missing from index.html`);
  return element as T;
}

/** Puts an RGBA image `[h, w, 4]` into a canvas at its own size. */
export function paint(canvas: HTMLCanvasElement, image: Rgba): void {
  const [h, w] = image.shape as [number, number];
  canvas.width = w;
  canvas.height = h;
  const context = canvas.getContext('2d');
  if (!context) return;
  context.putImageData(new ImageData(new Uint8ClampedArray(image.data), w, h), 0, 0);
}

/** A grey image (any range) stretched to 0–255, white on black, as RGBA. */
export function greyToRgba(data: ArrayLike<number>, h: number, w: number): Rgba {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < h * w; i++) {
    low = Math.min(low, data[i]);
    high = Math.max(high, data[i]);
  }
  const span = high > low ? high - low : 1;
  const out = new Uint8ClampedArray(h * w * 4);
  for (let i = 0; i < h * w; i++) {
    const v = ((data[i] - low) / span) * 255;
    out[i * 4] = v;
    out[i * 4 + 1] = v;
    out[i * 4 + 2] = v;
    out[i * 4 + 3] = 255;
  }
  return { data: out, shape: [h, w, 4] };
}
