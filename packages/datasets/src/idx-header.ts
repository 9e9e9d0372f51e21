import { sizeOf } from '@cnnlab/core';
import { DatasetError } from './errors.js';

/** Element types of the IDX format, by the name of the typed array that holds them. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** What an IDX header declares: the element type, the shape, and so the file's exact length. */
export interface IdxHeader {
  dtype: IdxDtype;
  /** Bytes per element. */
  bytesPer: number;
  shape: number[];
  /** Number of elements the shape holds. */
  count: number;
  /** Length of the header itself: 4 + 4 per dimension. */
  headerBytes: number;
  /** Length of the whole file the header declares (header and data). */
  byteLength: number;
}

// Third byte of the magic number -> element type and byte size (LeCun's IDX description).
export const IDX_CODES: Readonly<Record<number, { dtype: IdxDtype; bytes: number }>> = {
  8: { dtype: 'uint8', bytes: 1 },
  9: { dtype: 'int8', bytes: 1 },
  11: { dtype: 'int16', bytes: 2 },
  12: { dtype: 'int32', bytes: 4 },
  13: { dtype: 'float32', bytes: 4 },
  14: { dtype: 'float64', bytes: 8 },
};

/** Bytes needed to know the header's length (the magic number). */
export const IDX_MAGIC_BYTES = 4;

/**
 * Reads an IDX header from the first bytes of a file: big-endian, two zero bytes, a type code,
 * the number of dimensions, then one uint32 per dimension. Returns undefined while `bytes` is too
 * short to hold the whole header (more may be on its way); `final` says no more will come, which
 * makes a short header an error. A wrong magic number is an error as soon as 4 bytes are known.
 */
export function readIdxHeader(
  bytes: Uint8Array,
  name: string,
  final = true,
): IdxHeader | undefined {
  if (bytes.length < IDX_MAGIC_BYTES) {
    if (!final) return undefined;
    throw new DatasetError(
      `${name}: truncated IDX file (${bytes.length} bytes, header needs ${IDX_MAGIC_BYTES})`,
      { source: name },
    );
  }
  const code = IDX_CODES[bytes[2]];
  if (bytes[0] !== 0 || bytes[1] !== 0 || code === undefined) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
    throw new DatasetError(
      `${name}: wrong magic number 0x${magic}; an IDX file starts 0x0000 then a type code 08, 09, 0b, 0c, 0d or 0e`,
      { source: name },
    );
  }
  const ndims = bytes[3];
  if (ndims === 0) {
    throw new DatasetError(`${name}: IDX header declares 0 dimensions`, { source: name });
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    if (!final) return undefined;
    throw new DatasetError(
      `${name}: truncated IDX header (${bytes.length} bytes, ${ndims} dimensions need ${headerBytes})`,
      { source: name },
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const shape: number[] = [];
  for (let i = 0; i < ndims; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = sizeOf(shape);
  return {
    dtype: code.dtype,
    bytesPer: code.bytes,
    shape,
    count,
    headerBytes,
    byteLength: headerBytes + count * code.bytes,
  };
}

/** What the header declares, for messages: "shape [2, 28, 28] of uint8 needs 1584 bytes". */
export function describeIdxHeader(header: IdxHeader): string {
  return `shape [${header.shape.join(', ')}] of ${header.dtype} needs ${header.byteLength} bytes`;
}

/**
 * The error for a file whose length is not the one its header declares: `truncated` when shorter,
 * `has trailing bytes` when longer. Undefined when the lengths agree.
 */
export function idxLengthError(
  header: IdxHeader,
  length: number,
  name: string,
): DatasetError | undefined {
  if (length === header.byteLength) return undefined;
  const what = length < header.byteLength ? 'truncated' : 'has trailing bytes';
  return new DatasetError(`${name}: ${what}: ${describeIdxHeader(header)}, file has ${length}`, {
    source: name,
  });
}
