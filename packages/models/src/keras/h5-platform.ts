import type * as H5 from 'h5wasm';
import { ModelError, messageOf } from '../errors.js';
import { checkHdf5Header, HDF5_HEADER_BYTES } from './h5-header.js';

/** h5wasm's module: File, FS (once ready), ready. */
export type H5Module = typeof H5;
export type H5File = H5.File;
export type H5Group = H5.Group;

/**
 * Where HDF5 runs: h5wasm's browser build (an in-memory file system) or its Node build (the real
 * one). Each entry point brings its own, so that the browser bundle never sees `node:fs`.
 */
export interface H5Platform {
  load(): Promise<H5Module>;
  /** A fresh scratch file name in h5wasm's file system. */
  scratch(): string;
}

/** An HDF5 file to read: bytes in memory (a dropped file, a zip entry) or, in Node, a path. */
export type H5Input =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'path'; path: string; head: Uint8Array; size: number };

async function ready(platform: H5Platform): Promise<H5Module> {
  const h5 = await platform.load();
  await h5.ready;
  return h5;
}

/** Opens `input` read-only, runs `read` on it, and closes it (and its scratch copy) whatever happens. */
export async function readH5<T>(
  platform: H5Platform,
  input: H5Input,
  where: string,
  read: (file: H5File) => T | Promise<T>,
): Promise<T> {
  if (input.kind === 'bytes') {
    checkHdf5Header(input.bytes.subarray(0, HDF5_HEADER_BYTES), input.bytes.length, where);
  } else {
    checkHdf5Header(input.head, input.size, where);
  }
  const h5 = await ready(platform);
  // h5wasm types FS as emscripten's FileSystemType (or null before ready): only these calls.
  const fs = h5.FS as unknown as {
    writeFile(p: string, d: Uint8Array): void;
    unlink(p: string): void;
  };
  const path = input.kind === 'path' ? input.path : platform.scratch();
  if (input.kind === 'bytes') fs.writeFile(path, input.bytes);
  let file: H5File | undefined;
  try {
    try {
      file = new h5.File(path, 'r');
    } catch (error) {
      throw new ModelError(`${where} cannot be opened as HDF5: ${messageOf(error)}`, {
        source: where,
        cause: error,
      });
    }
    return await read(file);
  } finally {
    file?.close();
    if (input.kind === 'bytes') fs.unlink(path);
  }
}

/** Makes a new HDF5 file with `write`, and returns its bytes. */
export async function writeH5Bytes(
  platform: H5Platform,
  write: (file: H5File) => void,
): Promise<Uint8Array<ArrayBuffer>> {
  const h5 = await ready(platform);
  // As in readH5: emscripten's file system, only these calls.
  const fs = h5.FS as unknown as { readFile(p: string): Uint8Array; unlink(p: string): void };
  const path = platform.scratch();
  const file = new h5.File(path, 'w');
  try {
    write(file);
  } catch (error) {
    file.close();
    fs.unlink(path);
    throw error;
  }
  file.close();
  try {
    // A copy: the file system's buffer is reused once the file is gone.
    return new Uint8Array(fs.readFile(path));
  } finally {
    fs.unlink(path);
  }
}
