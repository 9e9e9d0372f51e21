import type { FileHandle } from 'node:fs/promises';
import { realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { ModelError, messageOf } from '../errors.js';
import { confinedPath } from './confine.js';
import { openRegularFile, readExactly } from './regular-file.js';
import { declaredBytes } from './weight-bytes.js';

const code = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

interface Shard {
  path: string;
  handle: FileHandle;
  size: number;
}

/**
 * Every weight the manifest of the model.json at `jsonPath` describes, read from the files it
 * names (tensorflowjs_converter's shards included) with each file checked before a byte is read:
 * inside the model folder (no absolute path, no `..`, no link out), a regular file, and each
 * group's files together exactly as long as its weights' dtype × shape declare. Only then is the
 * buffer allocated.
 */
export async function readWeights(
  jsonPath: string,
  manifest: tf.io.WeightsManifestConfig,
): Promise<[tf.io.WeightsManifestEntry[], ArrayBuffer]> {
  const dir = dirname(jsonPath);
  const realDir = await realpath(dir);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const shards: Shard[] = [];
  try {
    for (const group of manifest) {
      if (!Array.isArray(group?.paths) || !Array.isArray(group.weights)) {
        throw new ModelError(
          `${jsonPath}: each weightsManifest entry needs "paths" and "weights" lists`,
          { source: jsonPath },
        );
      }
      const expected = group.weights.reduce((n, spec) => n + declaredBytes(spec, jsonPath), 0);
      specs.push(...group.weights);
      const files: Shard[] = [];
      for (const name of group.paths) {
        const path = join(dir, String(name));
        const what = `weights file ${path} named in ${jsonPath}`;
        try {
          const real = await confinedPath(dir, realDir, name, 'weights file', jsonPath);
          const opened = await openRegularFile(real, what);
          files.push({ path, ...opened });
          shards.push(files[files.length - 1] as Shard);
        } catch (error) {
          if (error instanceof ModelError) throw error;
          const why = code(error) === 'ENOENT' ? 'the file is missing' : messageOf(error);
          throw new ModelError(`cannot read ${what}: ${why}`, { source: path, cause: error });
        }
      }
      const actual = files.reduce((n, f) => n + f.size, 0);
      if (actual !== expected) {
        const holds =
          files.length === 1
            ? `weights file ${files[0]?.path} holds`
            : `weights files ${files.map((f) => basename(f.path)).join(', ') || '(none)'} in ${dir} hold`;
        throw new ModelError(
          `${holds} ${actual} bytes; ${basename(jsonPath)} declares ${expected} bytes (${group.weights.length} weights, dtype × shape): truncated, padded or from another model`,
          { source: files[0]?.path ?? jsonPath },
        );
      }
    }
    const total = shards.reduce((n, s) => n + s.size, 0);
    let joined: Uint8Array;
    try {
      joined = new Uint8Array(total);
    } catch (error) {
      throw new ModelError(
        `cannot hold the ${total} bytes of weights ${jsonPath} names in memory: ${messageOf(error)}`,
        { source: jsonPath, cause: error },
      );
    }
    let offset = 0;
    for (const shard of shards) {
      const what = `weights file ${shard.path}`;
      await readExactly(
        shard.handle,
        joined.subarray(offset, offset + shard.size),
        shard.path,
        what,
      );
      offset += shard.size;
    }
    return [specs, joined.buffer as ArrayBuffer];
  } finally {
    await Promise.all(shards.map((s) => s.handle.close().catch(() => {})));
  }
}
