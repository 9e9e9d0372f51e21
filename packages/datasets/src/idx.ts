import { sizeOf, type TypedArray } from '@cnnlab/core';
import { gzipSync } from 'fflate';
import { asBytes, type Bytes } from './bytes.js';
import { DatasetError } from './errors.js';
import { GzipDecoder, isGzip } from './gzip.js';
import { IdxCollector } from './idx-collector.js';
import { IDX_CODES, type IdxDtype, idxLengthError, readIdxHeader } from './idx-header.js';

export type { IdxDtype } from './idx-header.js';

/** A decoded IDX file: its element type, its dimensions and its data, row-major. */
export interface IdxArray {
  dtype: IdxDtype;
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

export interface ReadIdxOptions {
  /** Name used in error messages (a file name or URL). */
  name?: string;
}

/**
 * Inflates a gzipped IDX file, stopping as soon as the data outgrows what its header declares: a
 * small file whose header promises one image and that inflates to gigabytes fails after one step.
 */
function gunzipIdx(gz: Uint8Array, name: string): Uint8Array {
  const decoder = new GzipDecoder(name);
  const collector = new IdxCollector(name);
  for (const chunk of decoder.inflate(gz)) collector.push(chunk);
  for (const chunk of decoder.finish()) collector.push(chunk);
  return collector.finish();
}

/**
 * Decodes an IDX file (a Uint8Array or an ArrayBuffer; raw, or gzip detected by its magic bytes).
 * The header is big-endian: two zero bytes, a type code, the number of dimensions, then one uint32
 * per dimension. uint8 and int8 data are views on the (inflated) bytes, not copies. The length is
 * checked against the header before anything is allocated.
 */
export function readIdx(bytes: Bytes, options: ReadIdxOptions = {}): IdxArray {
  const name = options.name ?? 'IDX input';
  const input = asBytes(bytes, name);
  const raw = isGzip(input) ? gunzipIdx(input, name) : input;
  const header = readIdxHeader(raw, name, true);
  if (header === undefined) throw new DatasetError(`${name}: truncated IDX file`, { source: name });
  const error = idxLengthError(header, raw.length, name);
  if (error) throw error;
  return {
    dtype: header.dtype,
    shape: header.shape,
    data: decodeBody(raw, header.headerBytes, header.count, header.dtype),
  };
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
  const bytesPer = IDX_CODES[code].bytes;
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
