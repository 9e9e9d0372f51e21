import { gzipSync } from 'fflate';
import { asBytes, type Bytes } from './bytes.js';
import { DatasetError } from './errors.js';
import { maybeGunzip } from './gzip.js';
import { sizeOf, type TypedArray } from './image.js';

/** Element types of the IDX format, by the name of the typed array that holds them. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** A decoded IDX file: its element type, its dimensions and its data, row-major. */
export interface IdxArray {
  dtype: IdxDtype;
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

// Third byte of the magic number -> element type and byte size (LeCun's IDX description).
const CODES: Record<number, { dtype: IdxDtype; bytes: number }> = {
  8: { dtype: 'uint8', bytes: 1 },
  9: { dtype: 'int8', bytes: 1 },
  11: { dtype: 'int16', bytes: 2 },
  12: { dtype: 'int32', bytes: 4 },
  13: { dtype: 'float32', bytes: 4 },
  14: { dtype: 'float64', bytes: 8 },
};

export interface ReadIdxOptions {
  /** Name used in error messages (a file name or URL). */
  name?: string;
}

/**
 * Decodes an IDX file (a Uint8Array or an ArrayBuffer; raw, or gzip detected by its magic bytes).
 * The header is big-endian: two zero bytes, a type code, the number of dimensions, then one uint32
 * per dimension. uint8 and int8 data are views on the (inflated) bytes, not copies.
 */
export function readIdx(bytes: Bytes, options: ReadIdxOptions = {}): IdxArray {
  const name = options.name ?? 'IDX input';
  const raw = maybeGunzip(asBytes(bytes, name), name);
  if (raw.length < 4) {
    throw new DatasetError(`${name}: truncated IDX file (${raw.length} bytes, header needs 4)`, {
      source: name,
    });
  }
  const code = CODES[raw[2]];
  if (raw[0] !== 0 || raw[1] !== 0 || code === undefined) {
    const magic = Array.from(raw.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
    throw new DatasetError(
      `${name}: wrong magic number 0x${magic}; an IDX file starts 0x0000 then a type code 08, 09, 0b, 0c, 0d or 0e`,
      { source: name },
    );
  }
  const ndims = raw[3];
  if (ndims === 0) {
    throw new DatasetError(`${name}: IDX header declares 0 dimensions`, { source: name });
  }
  const headerBytes = 4 + 4 * ndims;
  if (raw.length < headerBytes) {
    throw new DatasetError(
      `${name}: truncated IDX header (${raw.length} bytes, ${ndims} dimensions need ${headerBytes})`,
      { source: name },
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndims; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = sizeOf(shape);
  const expected = headerBytes + count * code.bytes;
  if (raw.length !== expected) {
    const what = raw.length < expected ? 'truncated' : 'has trailing bytes';
    throw new DatasetError(
      `${name}: ${what}: shape [${shape.join(', ')}] of ${code.dtype} needs ${expected} bytes, file has ${raw.length}`,
      { source: name },
    );
  }
  return { dtype: code.dtype, shape, data: decodeBody(raw, headerBytes, count, code.dtype) };
}

function decodeBody(raw: Uint8Array, offset: number, count: number, dtype: IdxDtype) {
  if (dtype === 'uint8') return raw.subarray(offset, offset + count);
  if (dtype === 'int8') return new Int8Array(raw.buffer, raw.byteOffset + offset, count);
  const view = new DataView(raw.buffer, raw.byteOffset + offset);
  switch (dtype) {
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, false);
      return out;
    }
    default: {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, false);
      return out;
    }
  }
}

function codeOf(data: TypedArray): number {
  if (!ArrayBuffer.isView(data)) {
    throw new DatasetError(
      `writeIdx: data is ${data === null ? 'null' : typeof data}; expected a typed array`,
      {
        source: 'data',
      },
    );
  }
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return 0x08;
  if (data instanceof Int8Array) return 0x09;
  if (data instanceof Int16Array) return 0x0b;
  if (data instanceof Int32Array) return 0x0c;
  if (data instanceof Float32Array) return 0x0d;
  if (data instanceof Float64Array) return 0x0e;
  throw new DatasetError(
    `writeIdx: data is a ${data.constructor.name}; IDX stores Uint8, Int8, Int16, Int32, Float32 or Float64 arrays`,
    { source: 'data' },
  );
}

export interface WriteIdxOptions {
  /** Gzip the result, as the MNIST files are distributed. Default false. */
  gzip?: boolean;
}

/**
 * Encodes data of the given shape as an IDX file, the element type taken from the typed array:
 * labels `{ data: Uint8Array, shape: [n] }` give an idx1 file, images `[n, 28, 28]` an idx3 file.
 */
export function writeIdx(
  array: { data: TypedArray; shape: readonly number[] },
  options: WriteIdxOptions = {},
): Uint8Array {
  const raw = encodeIdx(array);
  // mtime 0 keeps the gzip bytes reproducible from build to build.
  return options.gzip ? gzipSync(raw, { mtime: 0 }) : raw;
}

function encodeIdx(array: { data: TypedArray; shape: readonly number[] }): Uint8Array {
  const { data, shape } = array;
  const code = codeOf(data);
  if (shape.length === 0 || shape.length > 255) {
    throw new DatasetError(`writeIdx: shape must have 1 to 255 dimensions, got ${shape.length}`, {
      source: 'shape',
    });
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) {
      throw new DatasetError(
        `writeIdx: shape [${shape.join(', ')}] must hold integers in 0..2^32-1`,
        {
          source: 'shape',
        },
      );
    }
  }
  if (sizeOf(shape) !== data.length) {
    throw new DatasetError(
      `writeIdx: shape [${shape.join(', ')}] holds ${sizeOf(shape)} elements but data has ${data.length}`,
      { source: 'shape' },
    );
  }
  const bytesPer = CODES[code].bytes;
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + data.length * bytesPer);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = shape.length;
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  if (bytesPer === 1) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.length), header);
    return out;
  }
  for (let i = 0; i < data.length; i++) {
    const at = header + i * bytesPer;
    const v = data[i];
    if (code === 0x0b) view.setInt16(at, v, false);
    else if (code === 0x0c) view.setInt32(at, v, false);
    else if (code === 0x0d) view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return out;
}
