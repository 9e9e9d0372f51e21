import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { ModelError, messageOf } from '../errors.js';
import { makeDir } from './make-dir.js';

/** The file names saveModel writes into its folder. */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

// Bytes per stored element; quantised weights are stored in their quantisation type.
const BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

function toPath(location: string): string {
  return location.startsWith('file://') ? fileURLToPath(location) : location;
}

/** The model.json a location means: the file itself when it ends in .json, else one inside it. */
function modelJsonPath(location: string): string {
  const path = resolve(toPath(location));
  return path.toLowerCase().endsWith('.json') ? path : join(path, MODEL_JSON);
}

const code = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

/** Writes `data` to `path` so that readers see the old file or the new one, never a torn one. */
async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    const file = await open(temp, 'w');
    try {
      await file.writeFile(data);
      // On disk before the rename makes it visible, so a crash cannot leave an empty file.
      await file.datasync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw new ModelError(`cannot write ${path}: ${messageOf(error)}`, {
      source: path,
      cause: error,
    });
  }
}

function expectedBytes(specs: readonly tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const bytes = BYTES[dtype];
    // Strings have no fixed size; tfjs's decoder checks those itself.
    if (bytes === undefined) return undefined;
    total += spec.shape.reduce((a, b) => a * b, 1) * bytes;
  }
  return total;
}

async function save(jsonPath: string, artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
  if (artifacts.modelTopology == null || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new ModelError(
      `cannot save to ${jsonPath}: the model's topology is missing or binary (a graph model); saveModel writes Layers models`,
      { source: jsonPath },
    );
  }
  const dir = dirname(jsonPath);
  // Not mkdir({ recursive: true }): in Node 20 it never settles for paths such as /proc/x/y.
  await makeDir(dir);
  const weightsManifest: tf.io.WeightsManifestConfig = [];
  if (artifacts.weightSpecs && artifacts.weightData) {
    const data = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
    // Weights first: model.json, written last, is what makes the new pair visible to loaders.
    await writeAtomic(join(dir, WEIGHTS_BIN), data);
    weightsManifest.push({ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs });
  }
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest,
  };
  if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
  if (artifacts.signature) modelJson.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
  if (artifacts.modelInitializer) modelJson.modelInitializer = artifacts.modelInitializer;
  await writeAtomic(jsonPath, JSON.stringify(modelJson));
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}

async function readWeights(
  dir: string,
  jsonPath: string,
  manifest: tf.io.WeightsManifestConfig,
): Promise<[tf.io.WeightsManifestEntry[], ArrayBuffer]> {
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of manifest) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group.weights)) {
      throw new ModelError(
        `${jsonPath}: each weightsManifest entry needs "paths" and "weights" lists`,
        {
          source: jsonPath,
        },
      );
    }
    specs.push(...group.weights);
    for (const shard of group.paths) {
      const file = isAbsolute(shard) ? shard : join(dir, shard);
      try {
        buffers.push(await readFile(file));
      } catch (error) {
        const why = code(error) === 'ENOENT' ? 'the file is missing' : messageOf(error);
        throw new ModelError(`cannot read weights file ${file} named in ${jsonPath}: ${why}`, {
          source: file,
          cause: error,
        });
      }
    }
  }
  const length = buffers.reduce((n, b) => n + b.byteLength, 0);
  const expected = expectedBytes(specs);
  if (expected !== undefined && expected !== length) {
    const files = manifest.flatMap((g) => g.paths).join(', ');
    throw new ModelError(
      `weights file ${files} in ${dir} holds ${length} bytes; ${basename(jsonPath)} describes ${specs.length} weights of ${expected} bytes (truncated or from another model?)`,
      { source: join(dir, manifest[0]?.paths[0] ?? WEIGHTS_BIN) },
    );
  }
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const b of buffers) {
    joined.set(b, offset);
    offset += b.byteLength;
  }
  return [specs, joined.buffer];
}

async function load(jsonPath: string): Promise<tf.io.ModelArtifacts> {
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch (error) {
    let why = messageOf(error);
    if (code(error) === 'ENOENT') {
      const parent = await stat(dirname(jsonPath)).catch(() => undefined);
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
  const dir = dirname(jsonPath);
  return tf.io.getModelArtifactsForJSON(json, (manifest) => readWeights(dir, jsonPath, manifest));
}

/**
 * A tfjs IOHandler on the file system, without tfjs-node: `save` writes `model.json` and
 * `weights.bin` into a folder (each file replaced atomically, model.json last); `load` reads a
 * folder or a model.json path, with every shard its weightsManifest names (tensorflowjs_converter's
 * `group1-shard1of2.bin`, … included).
 */
export function fileHandler(location: string): tf.io.IOHandler {
  const jsonPath = modelJsonPath(location);
  return {
    save: (artifacts) => save(jsonPath, artifacts),
    load: () => load(jsonPath),
  };
}
