import { VizError } from './errors.js';

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array;

/** The image type shared by the cnnlab packages: channels-last, row-major. */
export interface Image<T extends ArrayLike<number> = ArrayLike<number>> {
  data: T;
  shape: readonly number[];
}

/** An RGBA image, 0–255, shape `[h, w, 4]`. */
export interface RgbaImage {
  data: Uint8ClampedArray;
  shape: [number, number, 4];
}

/** Anything tensor-like (a tfjs Tensor) that can hand over its values synchronously. */
export interface TensorLike {
  shape: readonly number[];
  dataSync(): ArrayLike<number>;
}

export type ImageInput = Image | TensorLike;

function isTensorLike(input: unknown): input is TensorLike {
  return (
    typeof input === 'object' &&
    input !== null &&
    typeof (input as TensorLike).dataSync === 'function'
  );
}

/** A `{ data, shape }` view of an image or tensor, checking that data and shape agree. */
export function asImage(input: ImageInput, what: string): Image {
  if (typeof input !== 'object' || input === null || !Array.isArray(input.shape)) {
    throw new VizError(`${what}: expected { data, shape } or a tensor`, { source: what });
  }
  const data = isTensorLike(input) ? input.dataSync() : input.data;
  if (data === undefined || typeof data.length !== 'number') {
    throw new VizError(`${what}: data must be an array of numbers`, { source: what });
  }
  const size = input.shape.reduce((a, b) => a * b, 1);
  if (input.shape.some((d) => !Number.isInteger(d) || d < 0) || size !== data.length) {
    throw new VizError(
      `${what}: shape [${input.shape.join(', ')}] does not match ${data.length} values`,
      { source: what },
    );
  }
  return { data, shape: input.shape };
}

/** Height, width and channels of a single image `[h, w]` or `[h, w, c]` (c of 1, 3 or 4). */
export function imageDims(image: Image, what: string): [number, number, number] {
  const { shape } = image;
  const c = shape.length === 2 ? 1 : shape[2];
  if ((shape.length !== 2 && shape.length !== 3) || ![1, 3, 4].includes(c)) {
    throw new VizError(
      `${what}: expected shape [h, w] or [h, w, c] with c 1, 3 or 4, got [${shape.join(', ')}]`,
      { source: what },
    );
  }
  return [shape[0], shape[1], c];
}

/** Rounds and clamps to a byte. */
export function toByte(value: number): number {
  if (!(value > 0)) return 0;
  return value >= 255 ? 255 : Math.round(value);
}

/** Grey, RGB or RGBA (values 0–255) as RGBA; grey becomes r = g = b, missing alpha is opaque. */
export function toRgba(input: ImageInput): RgbaImage {
  const image = asImage(input, 'image');
  const [h, w, c] = imageDims(image, 'image');
  const out = new Uint8ClampedArray(h * w * 4);
  const src = image.data;
  for (let i = 0; i < h * w; i++) {
    const o = i * 4;
    if (c === 1) {
      const v = toByte(src[i]);
      out[o] = v;
      out[o + 1] = v;
      out[o + 2] = v;
      out[o + 3] = 255;
    } else {
      out[o] = toByte(src[i * c]);
      out[o + 1] = toByte(src[i * c + 1]);
      out[o + 2] = toByte(src[i * c + 2]);
      out[o + 3] = c === 4 ? toByte(src[i * c + 3]) : 255;
    }
  }
  return { data: out, shape: [h, w, 4] };
}
