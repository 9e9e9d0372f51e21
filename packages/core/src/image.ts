/** Typed arrays an image or a label vector may be stored in. */
export type TypedArray =
  | Uint8Array
  | Uint8ClampedArray
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/**
 * The image type shared by every cnnlab package: row-major, channels-last data with its shape,
 * `[h, w]`, `[h, w, c]` or a batch `[n, h, w]` / `[n, h, w, c]`, as numpy and tfjs lay it out.
 */
export interface Image<T extends TypedArray = TypedArray> {
  data: T;
  shape: number[];
}

/** A set of labelled images, as the loaders return it: uint8 pixels, one uint8 label each. */
export interface LabeledImages<T extends TypedArray = Uint8Array> {
  images: Image<T>;
  labels: Uint8Array;
}

/** Number of elements a shape holds. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Whether pixels are stored as integers (bytes and the like) rather than floats. */
export function isIntegerArray(data: TypedArray): boolean {
  return !(data instanceof Float32Array || data instanceof Float64Array);
}
