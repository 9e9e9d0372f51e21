import { unzipSync, zipSync } from 'fflate';
import { ModelError, messageOf } from '../errors.js';

/** A `.keras` file's three parts (Keras 3's `saving_lib`). */
export interface KerasArchive {
  config: unknown;
  metadata: unknown;
  /** `model.weights.h5`, when the archive has it. */
  weights: Uint8Array | undefined;
}

const CONFIG = 'config.json';
const METADATA = 'metadata.json';
const WEIGHTS = 'model.weights.h5';

/** The JSON parts are small; a header claiming more is not a Keras archive. */
const MAX_JSON_BYTES = 64 << 20;
/** Deflate cannot shrink data more than about 1,032 to 1; a claim beyond that is a lie. */
const MAX_RATIO = 1032;

/** Whether bytes start like a zip archive (a local file header). */
export const isZip = (head: Uint8Array) =>
  head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;

/**
 * Reads a `.keras` archive: only its config, metadata and weights entries, each refused when its
 * header claims more than it could hold, so that memory stays bounded by the file.
 */
export function readKerasArchive(bytes: Uint8Array, where: string): KerasArchive {
  if (!isZip(bytes)) {
    throw new ModelError(`${where} is not a .keras archive (no zip header)`, { source: where });
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        if (![CONFIG, METADATA, WEIGHTS].includes(file.name)) return false;
        const limit = file.name === WEIGHTS ? bytes.length * MAX_RATIO : MAX_JSON_BYTES;
        if (
          file.originalSize > limit ||
          (file.compression === 0 && file.originalSize > file.size)
        ) {
          throw new ModelError(
            `${where}: its entry ${file.name} claims ${file.originalSize} bytes, more than the archive can hold`,
            { source: where },
          );
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ModelError) throw error;
    throw new ModelError(`${where} is a damaged zip archive: ${messageOf(error)}`, {
      source: where,
      cause: error,
    });
  }
  const json = (name: string): unknown => {
    const data = files[name];
    if (!data) return undefined;
    try {
      return JSON.parse(new TextDecoder().decode(data));
    } catch (error) {
      throw new ModelError(`${where}: ${name} is not valid JSON (${messageOf(error)})`, {
        source: where,
        cause: error,
      });
    }
  };
  const config = json(CONFIG);
  if (config === undefined) {
    throw new ModelError(`${where} has no ${CONFIG}: expected a Keras 3 .keras archive`, {
      source: where,
    });
  }
  return { config, metadata: json(METADATA), weights: files[WEIGHTS] };
}

/** A `.keras` archive as Keras writes it: entries stored, not compressed. */
export function writeKerasArchive(parts: {
  config: unknown;
  metadata: unknown;
  weights: Uint8Array;
}): Uint8Array<ArrayBuffer> {
  const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  return zipSync(
    {
      [METADATA]: encode(parts.metadata),
      [CONFIG]: encode(parts.config),
      [WEIGHTS]: parts.weights,
    },
    { level: 0 },
  );
}
