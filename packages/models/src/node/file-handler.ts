import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { ModelError } from '../errors.js';
import { commitSave } from './commit-save.js';
import { MODEL_JSON } from './folder-layout.js';
import { makeDir } from './make-dir.js';
import { readModelFolder } from './read-model-folder.js';

function toPath(location: string): string {
  return location.startsWith('file://') ? fileURLToPath(location) : location;
}

/** The model.json a location means: the file itself when it ends in .json, else one inside it. */
function modelJsonPath(location: string): string {
  const path = resolve(toPath(location));
  return path.toLowerCase().endsWith('.json') ? path : join(path, MODEL_JSON);
}

async function save(jsonPath: string, artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
  if (artifacts.modelTopology == null || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new ModelError(
      `cannot save to ${jsonPath}: the model's topology is missing or binary (a graph model); saveModel writes Layers models`,
      { source: jsonPath },
    );
  }
  // Not mkdir({ recursive: true }): in Node 20 it never settles for paths such as /proc/x/y.
  await makeDir(resolve(jsonPath, '..'));
  const modelJson: Omit<tf.io.ModelJSON, 'weightsManifest'> = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
  };
  if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
  if (artifacts.signature) modelJson.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
  if (artifacts.modelInitializer) modelJson.modelInitializer = artifacts.modelInitializer;
  await commitSave(jsonPath, {
    modelJson,
    ...(artifacts.weightSpecs && artifacts.weightData
      ? {
          weightSpecs: artifacts.weightSpecs,
          weightData: new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)),
        }
      : {}),
  });
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}

async function load(jsonPath: string): Promise<tf.io.ModelArtifacts> {
  const { json, weights } = await readModelFolder(jsonPath);
  return tf.io.getModelArtifactsForJSONSync(json, weights?.[0], weights?.[1]);
}

/**
 * A tfjs IOHandler on the file system, without tfjs-node. `save` writes a folder with one commit
 * point: the weights under a content-derived name (`weights.<sha256 prefix>.bin`), then
 * `model.json` naming them renamed into place, then the files it no longer names removed, so a
 * kill at any moment leaves the old model or the new one, whole. `load` reads a folder or a
 * model.json path with every shard its weightsManifest names (tensorflowjs_converter's
 * `group1-shard1of2.bin`, … included), each confined to the folder, a regular file, and as long
 * as the manifest declares before anything is allocated.
 */
export function fileHandler(location: string): tf.io.IOHandler {
  const jsonPath = modelJsonPath(location);
  return {
    save: (artifacts) => save(jsonPath, artifacts),
    load: () => load(jsonPath),
  };
}
