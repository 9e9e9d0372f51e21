import {
  interpolateCividis,
  interpolateGreys,
  interpolateInferno,
  interpolateMagma,
  interpolatePlasma,
  interpolateViridis,
} from 'd3-scale-chromatic';
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

const INTERPOLATORS: Record<ColormapName, (t: number) => string> = {
  viridis: interpolateViridis,
  magma: interpolateMagma,
  inferno: interpolateInferno,
  plasma: interpolatePlasma,
  cividis: interpolateCividis,
  greys: interpolateGreys,
  gray: (t) => {
    const v = Math.round(t * 255);
    return `rgb(${v}, ${v}, ${v})`;
  },
};

/** d3 hands back '#rrggbb' (the sampled maps) or 'rgb(r, g, b)' (the interpolated ones). */
function parseColor(css: string): [number, number, number] {
  if (css.startsWith('#') && css.length === 7) {
    return [1, 3, 5].map((i) => Number.parseInt(css.slice(i, i + 2), 16)) as [
      number,
      number,
      number,
    ];
  }
  const parts = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css);
  if (!parts) throw new VizError(`colormap: cannot read the colour '${css}'`);
  return [Number(parts[1]), Number(parts[2]), Number(parts[3])];
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
    const interpolate = INTERPOLATORS[known];
    for (let i = 0; i < 256; i++) {
      const [r, g, b] = parseColor(interpolate(i / 255));
      table[i * 4] = r;
      table[i * 4 + 1] = g;
      table[i * 4 + 2] = b;
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
