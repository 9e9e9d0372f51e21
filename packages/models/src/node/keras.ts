import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelError, messageOf } from '../errors.js';
import type { LoadKerasWeightsOptions, LoadKerasWeightsReport } from '../keras/apply-weights.js';
import type { KerasBytes } from '../keras/browser.js';
import { HDF5_HEADER_BYTES } from '../keras/h5-header.js';
import type { H5Platform } from '../keras/h5-platform.js';
import {
  type KerasSource,
  kerasFormatOf,
  kerasModelBytes,
  loadKerasModelWith,
  loadKerasWeightsWith,
} from '../keras/keras-files.js';
import { syncFolder, writeDurable } from './durable-write.js';
import { isAlive, scratchOwner } from './scratch.js';

/** h5wasm's Node build: HDF5 reads the real file system, so a path is read only where needed. */
export const nodeH5: H5Platform = {
  load: () => import('h5wasm/node'),
  scratch: () => join(tmpdir(), `cnnlab-h5-${process.pid}-${randomBytes(4).toString('hex')}.h5`),
};

/** A path or bytes as what the Keras readers take, naming the file for messages. */
async function kerasSource(
  source: string | KerasBytes,
): Promise<{ source: KerasSource; where: string }> {
  if (typeof source !== 'string') {
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    return { source: { kind: 'bytes', bytes }, where: 'the Keras file' };
  }
  const path = resolve(source);
  let size: number;
  const head = new Uint8Array(HDF5_HEADER_BYTES);
  let got = 0;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ModelError(`${source} is not a file`, { source });
    size = info.size;
    const handle = await open(path, 'r');
    try {
      got = (await handle.read(head, 0, head.length, 0)).bytesRead;
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof ModelError) throw error;
    throw new ModelError(`cannot read ${source}: ${messageOf(error)}`, { source, cause: error });
  }
  return {
    source: {
      kind: 'path',
      path,
      head: head.subarray(0, got),
      size,
      readAll: () => readFile(path),
    },
    where: source,
  };
}

/** loadKerasModel of the browser entry, where `source` may also be a path to a `.h5` or `.keras` file. */
export async function loadKerasModel(source: string | KerasBytes): Promise<tfl.LayersModel> {
  const { source: input, where } = await kerasSource(source);
  return loadKerasModelWith(input, where, nodeH5);
}

/** loadKerasWeights of the browser entry, where `source` may also be a path. */
export async function loadKerasWeights(
  model: tfl.LayersModel,
  source: string | KerasBytes,
  options: LoadKerasWeightsOptions = {},
): Promise<LoadKerasWeightsReport> {
  const { source: input, where } = await kerasSource(source);
  return loadKerasWeightsWith(model, input, where, options, nodeH5);
}

/** Removes the scratch copies of `target` that saves killed part way left (their process is gone). */
async function removeStaleCopies(target: string): Promise<void> {
  const prefix = `.${basename(target)}.`;
  const names = await readdir(dirname(target)).catch(() => [] as string[]);
  for (const name of names) {
    const pid = name.startsWith(prefix) ? scratchOwner(name) : undefined;
    if (pid === undefined || pid === process.pid || isAlive(pid)) continue;
    await rm(join(dirname(target), name), { force: true }).catch(() => {});
  }
}

/**
 * Writes the model to `path` as a Keras file, by its extension: `.keras` (Keras 3's archive) or
 * `.h5` (Keras 2's full-model layout). Atomic: the file is written and flushed beside the target
 * under a scratch name and renamed into place, so a kill leaves the old file or the new one; the
 * next save removes the scratch copy a killed one left.
 */
export async function saveKerasModel(
  model: tfl.LayersModel,
  path: string,
): Promise<{ path: string; bytes: number }> {
  const format = kerasFormatOf(path, 'path');
  const bytes = await kerasModelBytes(model, format, nodeH5);
  const target = resolve(path);
  await removeStaleCopies(target);
  const scratch = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await writeDurable(scratch, bytes);
    await rename(scratch, target);
  } catch (error) {
    await rm(scratch, { force: true });
    throw new ModelError(`cannot write ${path}: ${messageOf(error)}`, {
      source: path,
      cause: error,
    });
  }
  await syncFolder(dirname(target));
  return { path: target, bytes: bytes.length };
}
