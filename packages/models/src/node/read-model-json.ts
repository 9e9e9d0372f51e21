import { realpath, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { ModelError, messageOf } from '../errors.js';
import { folderKey, isInside, lexicalProblem } from './confine.js';
import { MAX_MODEL_JSON_BYTES } from './folder-layout.js';
import { readSmallTextFile } from './regular-file.js';

const code = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

/**
 * The text of `path`, a regular file of at most `maxBytes` inside its own folder (a link may lead
 * elsewhere in the folder, not out of it). Missing files reject with the errno error (ENOENT) for
 * the caller to word; every refusal is a ModelError naming the file.
 */
export async function readTextInFolder(path: string, maxBytes: number): Promise<string> {
  const dir = dirname(path);
  const [realDir, real] = await Promise.all([realpath(dir), realpath(path)]);
  if (!isInside(realDir, real)) {
    throw new ModelError(
      `${path} leads to ${real}, outside ${dir}; expected a file inside the model folder`,
      { source: path },
    );
  }
  return readSmallTextFile(real, maxBytes, path);
}

/**
 * The model.json at `jsonPath`, parsed: a regular file of at most 32 MiB inside its folder
 * (a link may lead elsewhere in the folder, not out of it), with a `modelTopology` and, when it
 * has one, a `weightsManifest` list. Every failure is a ModelError naming the file.
 */
export async function readModelJson(jsonPath: string): Promise<tf.io.ModelJSON> {
  const dir = dirname(jsonPath);
  let text: string;
  try {
    text = await readTextInFolder(jsonPath, MAX_MODEL_JSON_BYTES);
  } catch (error) {
    if (error instanceof ModelError) throw error;
    let why = messageOf(error);
    if (code(error) === 'ENOENT') {
      const parent = await stat(dir).catch(() => undefined);
      why = parent?.isDirectory() ? `no ${basename(jsonPath)} there` : 'the folder does not exist';
    }
    throw new ModelError(`cannot read the model at ${jsonPath}: ${why}`, {
      source: jsonPath,
      cause: error,
    });
  }
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text) as tf.io.ModelJSON;
  } catch (error) {
    throw new ModelError(`${jsonPath} is not valid JSON: ${messageOf(error)}`, {
      source: jsonPath,
      cause: error,
    });
  }
  if (json === null || typeof json !== 'object' || json.modelTopology == null) {
    throw new ModelError(`${jsonPath} has no "modelTopology"; expected a tfjs Layers model.json`, {
      source: jsonPath,
    });
  }
  if (json.weightsManifest != null && !Array.isArray(json.weightsManifest)) {
    throw new ModelError(`${jsonPath}: "weightsManifest" is not a list; expected tfjs's format`, {
      source: jsonPath,
    });
  }
  return json;
}

/**
 * The files of the folder (as folder keys) that the model.json at `jsonPath` names: empty when
 * there is no model.json, undefined when it cannot be read or parsed (then nothing counts as
 * unnamed). Paths that leave the folder are not the folder's files and are left out.
 */
export async function namedWeightFiles(jsonPath: string): Promise<Set<string> | undefined> {
  let json: tf.io.ModelJSON;
  try {
    json = await readModelJson(jsonPath);
  } catch (error) {
    const cause = error instanceof ModelError ? error.cause : error;
    return code(cause) === 'ENOENT' ? new Set() : undefined;
  }
  const names = new Set<string>();
  for (const group of json.weightsManifest ?? []) {
    for (const path of Array.isArray(group?.paths) ? group.paths : []) {
      if (lexicalProblem(path) === undefined) names.add(folderKey(path));
    }
  }
  return names;
}
