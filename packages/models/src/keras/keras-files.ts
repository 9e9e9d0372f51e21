import * as tfl from '@tensorflow/tfjs-layers';
import { ModelError, messageOf } from '../errors.js';
import {
  applyKerasWeights,
  type LoadKerasWeightsOptions,
  type LoadKerasWeightsReport,
} from './apply-weights.js';
import type { H5File, H5Input, H5Platform } from './h5-platform.js';
import { readH5, writeH5Bytes } from './h5-platform.js';
import { isZip, readKerasArchive, writeKerasArchive } from './keras-archive.js';
import { type Json, toKerasConfig, toTfjsTopology } from './keras-config.js';
import { isGroup, weightStore } from './weights-file.js';
import {
  KERAS2_LAYOUT_VERSION,
  KERAS3_LAYOUT_VERSION,
  weightValues,
  writeKeras2Weights,
  writeKeras3Weights,
} from './write-weights.js';

/**
 * A Keras file to read: bytes, or (in Node) a path whose first bytes and size are known and whose
 * whole content is read only when it is a zip archive.
 */
export type KerasSource =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'path'; path: string; head: Uint8Array; size: number; readAll(): Promise<Uint8Array> };

/** The two file formats: Keras 2's full-model `.h5` and Keras 3's `.keras` archive. */
export type KerasFormat = 'h5' | 'keras';

/** The format a file name asks for, by its extension. */
export function kerasFormatOf(name: string, argument = 'file'): KerasFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith('.keras')) return 'keras';
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) return 'h5';
  throw new ModelError(
    `${argument} is ${JSON.stringify(name)}; expected a name ending in .keras (Keras 3) or .h5 (Keras 2)`,
    { source: name },
  );
}

const headOf = (source: KerasSource) => (source.kind === 'bytes' ? source.bytes : source.head);
const h5Input = (source: KerasSource): H5Input =>
  source.kind === 'bytes'
    ? source
    : { kind: 'path', path: source.path, head: source.head, size: source.size };
const allBytes = (source: KerasSource) =>
  source.kind === 'bytes' ? Promise.resolve(source.bytes) : source.readAll();

async function modelFromTopology(topology: Json, where: string): Promise<tfl.LayersModel> {
  try {
    // A Keras 2 topology is the JSON tfjs's own converter emits; tfjs types it as PyJsonDict,
    // which it does not export.
    const artifacts = { modelTopology: topology } as unknown as Parameters<
      typeof tfl.models.modelFromJSON
    >[0];
    return await tfl.models.modelFromJSON(artifacts);
  } catch (error) {
    throw new ModelError(`${where}: tfjs cannot build its model: ${messageOf(error)}`, {
      source: where,
      cause: error,
    });
  }
}

function textAttribute(file: H5File, name: string): string | undefined {
  if (!(name in file.attrs)) return undefined;
  const value = file.attrs[name]?.value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return typeof value === 'string' ? value : undefined;
}

/** Builds the model `source` describes and sets all its weights; fails whole, never half-loaded. */
export async function loadKerasModelWith(
  source: KerasSource,
  where: string,
  platform: H5Platform,
): Promise<tfl.LayersModel> {
  let model: tfl.LayersModel | undefined;
  try {
    if (isZip(headOf(source))) {
      const archive = readKerasArchive(await allBytes(source), where);
      model = await modelFromTopology(toTfjsTopology(archive.config, where), where);
      if (!archive.weights) {
        throw new ModelError(
          `${where} has no model.weights.h5 (cnnlab reads Keras's h5 weights, not .npz)`,
          {
            source: where,
          },
        );
      }
      const built = model;
      await readH5(
        platform,
        { kind: 'bytes', bytes: archive.weights },
        `${where} (model.weights.h5)`,
        (file) => applyKerasWeights(built, weightStore(file, where), where, { requireAll: true }),
      );
      return model;
    }
    return await readH5(platform, h5Input(source), where, async (file) => {
      const text = textAttribute(file, 'model_config');
      if (text === undefined) {
        throw new ModelError(
          `${where} holds weights only (no model_config): build the model and use loadKerasWeights`,
          { source: where },
        );
      }
      let config: unknown;
      try {
        config = JSON.parse(text);
      } catch (error) {
        throw new ModelError(`${where}: its model_config is not valid JSON (${messageOf(error)})`, {
          source: where,
        });
      }
      model = await modelFromTopology(toTfjsTopology(config, where), where);
      const group = file.get('model_weights');
      if (!isGroup(group)) {
        throw new ModelError(`${where} has a model_config but no model_weights group`, {
          source: where,
        });
      }
      applyKerasWeights(model, weightStore(group, where), where, { requireAll: true });
      return model;
    });
  } catch (error) {
    model?.dispose();
    throw error;
  }
}

/** Sets `model`'s weights from a Keras weights or model file, by layer name (Keras 3: by path). */
export async function loadKerasWeightsWith(
  model: tfl.LayersModel,
  source: KerasSource,
  where: string,
  options: LoadKerasWeightsOptions,
  platform: H5Platform,
): Promise<LoadKerasWeightsReport> {
  if (isZip(headOf(source))) {
    const archive = readKerasArchive(await allBytes(source), where);
    if (!archive.weights) {
      throw new ModelError(`${where} has no model.weights.h5`, { source: where });
    }
    return readH5(
      platform,
      { kind: 'bytes', bytes: archive.weights },
      `${where} (model.weights.h5)`,
      (file) => applyKerasWeights(model, weightStore(file, where), where, options),
    );
  }
  return readH5(platform, h5Input(source), where, (file) =>
    applyKerasWeights(model, weightStore(file, where), where, options),
  );
}

/** Output shape of the tensor `layer` made at `node`, for Keras 3's node arguments. */
function shapeOf(model: tfl.LayersModel) {
  return (layer: string, node: number, tensor: number): (number | null)[] => {
    const found = model.getLayer(layer);
    const shapes = found.inboundNodes[node]?.outputShapes ?? found.outputShape;
    const list =
      Array.isArray(shapes[0]) || shapes.length === 0 ? (shapes as (number | null)[][]) : null;
    return (list ? list[tensor] : shapes) as (number | null)[];
  };
}

/** The model as a Keras file's bytes: `.h5` (Keras 2's full-model layout) or `.keras` (Keras 3). */
export async function kerasModelBytes(
  model: tfl.LayersModel,
  format: KerasFormat,
  platform: H5Platform,
): Promise<Uint8Array<ArrayBuffer>> {
  const json = model.toJSON(null, false) as Json;
  // Keras's build_config: one shape, or a list of them for a model of several inputs.
  const inputShape: unknown =
    model.inputs.length === 1
      ? (model.inputs[0]?.shape ?? [])
      : model.inputs.map((input) => input.shape);
  const data = await weightValues(model);
  if (format === 'h5') {
    const config = toKerasConfig(json, 2, inputShape, shapeOf(model));
    return writeH5Bytes(platform, (file) => {
      file.create_attribute('backend', 'tensorflow');
      file.create_attribute('keras_version', KERAS2_LAYOUT_VERSION);
      file.create_attribute('model_config', JSON.stringify(config));
      writeKeras2Weights(file.create_group('model_weights'), model, data);
    });
  }
  const config = toKerasConfig(json, 3, inputShape, shapeOf(model));
  const weights = await writeH5Bytes(platform, (file) => writeKeras3Weights(file, model, data));
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return writeKerasArchive({
    config,
    metadata: {
      keras_version: KERAS3_LAYOUT_VERSION,
      date_saved: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}@${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`,
    },
    weights,
  });
}
