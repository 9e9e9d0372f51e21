import { basename } from 'node:path';

/** The file a model folder is read from: the one commit point of every save. */
export const MODEL_JSON = 'model.json';

/**
 * The weights file name saves used before weights were named by their content. Still read when a
 * model.json names it, and removed by the next save into the folder.
 */
export const WEIGHTS_BIN = 'weights.bin';

/** The largest model.json read (topology, manifest and metadata): 32 MiB. */
export const MAX_MODEL_JSON_BYTES = 32 * 1024 * 1024;

/** Hex digits of the weights' SHA-256 kept in the file name (64 bits). */
const DIGEST_CHARS = 16;

/** `weights` beside model.json, `<stem>.weights` beside any other `<stem>.json`. */
function weightsStem(jsonName: string): string {
  const stem = basename(jsonName).replace(/\.json$/i, '');
  return stem === 'model' ? 'weights' : `${stem}.weights`;
}

/** The content-derived name of a save's weights: `weights.<first 16 hex of sha256>.bin`. */
export function weightsFileName(jsonName: string, sha256Hex: string): string {
  return `${weightsStem(jsonName)}.${sha256Hex.slice(0, DIGEST_CHARS)}.bin`;
}

/**
 * Whether `file` is a weights file a save for `jsonName` writes (or wrote under the old fixed
 * name): the files a later save may remove once no model.json names them.
 */
export function isSavedWeightsName(jsonName: string, file: string): boolean {
  const stem = weightsStem(jsonName).replace(/\./g, '\\.');
  return (
    new RegExp(`^${stem}\\.[0-9a-f]{${DIGEST_CHARS}}\\.bin$`).test(file) ||
    (stem === 'weights' && file === WEIGHTS_BIN)
  );
}
