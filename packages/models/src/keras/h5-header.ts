import { ModelError } from '../errors.js';

/** The 8 bytes that open an HDF5 superblock: \x89 H D F \r \n \x1a \n. */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** How many leading bytes checkHdf5Header needs: a superblock at 0 or after a 512-byte user block. */
export const HDF5_HEADER_BYTES = 2048 + 64;

function signatureAt(bytes: Uint8Array, at: number): boolean {
  return SIGNATURE.every((b, i) => bytes[at + i] === b);
}

function readAddress(bytes: Uint8Array, at: number, size: number): number {
  let value = 0;
  for (let i = size - 1; i >= 0; i--) value = value * 256 + (bytes[at + i] ?? 0);
  return value;
}

/**
 * Checks, before HDF5 itself opens a file, that it is HDF5 and whole: the signature (at 0, 512,
 * 1024 or 2048, as HDF5 allows a user block) and the superblock's end-of-file address against the
 * file's size. HDF5 would refuse both too, but it prints its error stack on the process's stderr,
 * so the two commonest faults, a wrong file and a cut-off download, get one clear line here.
 * `head` is the file's first HDF5_HEADER_BYTES bytes (or all of it), `size` its length.
 */
export function checkHdf5Header(head: Uint8Array, size: number, name: string): void {
  const at = [0, 512, 1024, 2048].find(
    (offset) => offset + 8 <= head.length && signatureAt(head, offset),
  );
  if (at === undefined) {
    throw new ModelError(
      `${name} is not an HDF5 file (no HDF5 signature): expected a Keras .h5 file`,
      {
        source: name,
      },
    );
  }
  const version = head[at + 8];
  let offsetSize: number;
  let eofAt: number;
  let baseAt: number;
  if (version === 0 || version === 1) {
    // Versions 0 and 1: 16 bytes of versions and sizes (offsets' size at byte 13), the B-tree K
    // values and flags, then base, free-space, end-of-file and driver addresses.
    offsetSize = head[at + 13] ?? 0;
    const fixed = version === 0 ? 24 : 28;
    baseAt = at + fixed;
    eofAt = baseAt + 2 * offsetSize;
  } else if (version === 2 || version === 3) {
    // Versions 2 and 3: offsets' size at byte 9, then base, extension and end-of-file addresses.
    offsetSize = head[at + 9] ?? 0;
    baseAt = at + 12;
    eofAt = baseAt + 2 * offsetSize;
  } else {
    throw new ModelError(
      `${name} has an HDF5 superblock of version ${version}, which this reader does not know`,
      {
        source: name,
      },
    );
  }
  if (![2, 4, 8].includes(offsetSize) || eofAt + offsetSize > head.length) {
    throw new ModelError(`${name} has a damaged HDF5 superblock`, { source: name });
  }
  const base = readAddress(head, baseAt, offsetSize);
  const eof = readAddress(head, eofAt, offsetSize);
  // An address of all ones is HDF5's "undefined"; then only HDF5 can tell.
  const undefinedAddress = 256 ** offsetSize - 1;
  if (eof !== undefinedAddress && base + eof > size) {
    throw new ModelError(
      `${name} is truncated: its HDF5 superblock says ${base + eof} bytes, the file has ${size}`,
      { source: name },
    );
  }
}
