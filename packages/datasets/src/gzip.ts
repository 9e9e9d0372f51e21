import { gunzipSync } from 'fflate';
import { DatasetError } from './errors.js';

/** True when the bytes start with the gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflates gzip bytes; raw bytes pass through untouched. fflate keeps this usable in the browser;
 * the Node loaders inflate with zlib before they get here.
 */
export function maybeGunzip(bytes: Uint8Array, name = 'input'): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (cause) {
    throw new DatasetError(
      `${name}: starts like gzip but does not inflate (truncated or corrupt gzip stream)`,
      { source: name, cause },
    );
  }
}
