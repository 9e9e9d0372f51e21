import { COLORMAP_TABLES } from './colormap-tables.js';
import { VizError } from './errors.js';
import { asImage, type ImageInput, imageDims, type RgbaImage, toByte } from './image.js';

/** 'greys' runs white → black (matplotlib's binary: dark ink on white); 'gray' black → white. */
export const COLORMAP_NAMES = [
  'viridis',
  'magma',
  'inferno',
  'plasma',
  'cividis',
  'greys',
  'gray',
] as const;

export type ColormapName = (typeof COLORMAP_NAMES)[number];

/** A table's RGB bytes: sampled from d3-scale-chromatic at build time, or a plain ramp for gray. */
function rgbBytes(name: ColormapName): Uint8Array {
  if (name === 'gray') return Uint8Array.from({ length: 768 }, (_, i) => Math.floor(i / 3));
  // atob is in every browser and in Node ≥ 16: no Buffer, so the table decodes on a page too.
  const text = atob(COLORMAP_TABLES[name]);
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

const cache = new Map<ColormapName, Uint8ClampedArray>();

/** Throws a VizError unless `name` is one of COLORMAP_NAMES. */
export function checkColormap(name: string): ColormapName {
  if (!(COLORMAP_NAMES as readonly string[]).includes(name)) {
    throw new VizError(
      `colormap: unknown colormap '${name}', expected one of ${COLORMAP_NAMES.join(', ')}`,
      { source: 'colormap' },
    );
  }
  return name as ColormapName;
}

/** A 256-entry RGBA lookup table (1,024 bytes): entry i is the colour at t = i / 255. */
export function colormap(name: ColormapName | string): Uint8ClampedArray {
  const known = checkColormap(name);
  let table = cache.get(known);
  if (!table) {
    table = new Uint8ClampedArray(256 * 4);
    const rgb = rgbBytes(known);
    for (let i = 0; i < 256; i++) {
      table.set(rgb.subarray(i * 3, i * 3 + 3), i * 4);
      table[i * 4 + 3] = 255;
    }
    cache.set(known, table);
  }
  return table;
}

/** Colours a single-channel image of 0–255 values (`[h, w]` or `[h, w, 1]`) into RGBA. */
export function applyColormap(
  gray: ImageInput,
  name: ColormapName | string = 'viridis',
): RgbaImage {
  const table = colormap(name);
  const image = asImage(gray, 'gray');
  const [h, w, c] = imageDims(image, 'gray');
  if (c !== 1) {
    throw new VizError(`gray: expected one channel, got ${c}`, { source: 'gray' });
  }
  const out = new Uint8ClampedArray(h * w * 4);
  for (let i = 0; i < h * w; i++) {
    const t = toByte(image.data[i]) * 4;
    out[i * 4] = table[t];
    out[i * 4 + 1] = table[t + 1];
    out[i * 4 + 2] = table[t + 2];
    out[i * 4 + 3] = 255;
  }
  return { data: out, shape: [h, w, 4] };
}
