import { createHash } from 'node:crypto';
import { link, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { ModelError, messageOf } from '../errors.js';
import { syncFolder, writeDurable } from './durable-write.js';
import { MAX_MODEL_JSON_BYTES, weightsFileName } from './folder-layout.js';
import { namedWeightFiles } from './read-model-json.js';
import { removeUnnamedWeights } from './remove-unnamed-weights.js';
import { removeStaleScratch, scratchPath } from './scratch.js';

/**
 * The steps of a save, in order; a save stopped after any of them (a kill) leaves the folder
 * with the old model until `committed` and the new one from then on.
 */
export const SAVE_STEPS = [
  'cleaned',
  'weights-written',
  'weights-placed',
  'json-written',
  'committed',
  'synced',
  'done',
] as const;
export type SaveStep = (typeof SAVE_STEPS)[number];

/** What a save writes: model.json's fields but the manifest, and the weights as one buffer. */
export interface SaveParts {
  modelJson: Omit<tf.io.ModelJSON, 'weightsManifest'>;
  weightSpecs?: tf.io.WeightsManifestEntry[];
  weightData?: Uint8Array;
}

/** For tests: called after each step (a fault test kills the process there). */
export interface SaveHooks {
  onStep?: (step: SaveStep) => void | Promise<void>;
}

// Hard links keep a save's new weights out of reach of a concurrent save's cleanup; where the
// file system has none, the weights are renamed into place without one.
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Writes a model into the existing folder of `jsonPath` with one commit point, so that after a
 * kill at any moment the folder holds the old model or the new one, whole:
 *
 * 1. scratch of saves whose process has ended is removed;
 * 2. the weights go to a scratch file, flushed;
 * 3. which is linked under its content-derived name, `weights.<sha256 prefix>.bin` (a name no
 *    model.json in place uses for other bytes), and the folder flushed;
 * 4. the new model.json, naming that file, goes to a scratch file, flushed;
 * 5. and is renamed over model.json: the commit;
 * 6. the folder is flushed, and the weights files no model.json names any more are removed.
 *
 * Readers trust only what model.json names, so the files of steps 2–4 are invisible to them.
 */
export async function commitSave(
  jsonPath: string,
  parts: SaveParts,
  hooks: SaveHooks = {},
): Promise<void> {
  const dir = dirname(jsonPath);
  const step = async (name: SaveStep) => {
    await hooks.onStep?.(name);
  };
  await removeStaleScratch(dir);
  await step('cleaned');
  const earlier = (await namedWeightFiles(jsonPath)) ?? new Set<string>();
  const scratch: string[] = [];
  let committed = false;
  try {
    // The weights' name comes from their bytes, so model.json is known before anything is written.
    const weightsManifest: tf.io.WeightsManifestConfig = [];
    const weights = parts.weightData;
    const name = weights
      ? weightsFileName(basename(jsonPath), createHash('sha256').update(weights).digest('hex'))
      : undefined;
    if (name) weightsManifest.push({ paths: [name], weights: parts.weightSpecs ?? [] });
    const text = new TextEncoder().encode(JSON.stringify({ ...parts.modelJson, weightsManifest }));
    if (text.byteLength > MAX_MODEL_JSON_BYTES) {
      throw new ModelError(
        `cannot save the model to ${jsonPath}: its model.json would hold ${text.byteLength} bytes, more than the ${MAX_MODEL_JSON_BYTES} loadModel reads (a large userDefinedMetadata?)`,
        { source: jsonPath },
      );
    }
    if (weights && name) {
      const pin = scratchPath(dir, 'weights');
      scratch.push(pin);
      await writeDurable(pin, weights);
      await step('weights-written');
      await place(pin, join(dir, name), scratch);
      await syncFolder(dir);
      await step('weights-placed');
    }
    const temp = scratchPath(dir, 'json');
    scratch.push(temp);
    await writeDurable(temp, text);
    await step('json-written');
    await rename(temp, jsonPath);
    committed = true;
    await step('committed');
    await syncFolder(dir);
    await step('synced');
  } catch (error) {
    await removeAll(scratch);
    // Before the commit the old model.json still names the old files: only orphans go.
    await removeUnnamedWeights(jsonPath, committed ? earlier : new Set()).catch(() => {});
    if (error instanceof ModelError) throw error;
    throw new ModelError(`cannot save the model to ${jsonPath}: ${messageOf(error)}`, {
      source: jsonPath,
      cause: error,
    });
  }
  await removeAll(scratch);
  await removeUnnamedWeights(jsonPath, earlier);
  await step('done');
}

/** Puts the flushed file `pin` under `target` (replacing a file of the same bytes), keeping `pin`. */
async function place(pin: string, target: string, scratch: string[]): Promise<void> {
  const staged = scratchPath(dirname(pin), 'link');
  try {
    await link(pin, staged);
  } catch (error) {
    if (!NO_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    await rename(pin, target);
    return;
  }
  scratch.push(staged);
  await rename(staged, target);
}

async function removeAll(paths: readonly string[]): Promise<void> {
  await Promise.all(paths.map((path) => unlink(path).catch(() => {})));
}
