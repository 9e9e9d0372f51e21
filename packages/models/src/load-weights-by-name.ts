import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelError, messageOf } from './errors.js';
import { isNestedModel } from './nested-model.js';
import {
  browserLoadHandler,
  describeSource,
  type ModelSource,
  type ResolveLoadHandler,
} from './weights-source.js';

export interface LoadWeightsByNameOptions {
  /**
   * Leave layers that the source lacks with the weights they have, instead of failing (Keras's
   * `by_name=True` behaviour). Shape mismatches always fail.
   */
  skipMissing?: boolean;
}

/** What loadWeightsByName did, by layer name. */
export interface LoadWeightsReport {
  /** Layers whose weights were set. */
  loaded: string[];
  /** Layers with weights that the source does not hold (only with `skipMissing`). */
  missing: string[];
  /** Layer names in the source that the model does not have. */
  unused: string[];
}

type Layer = tfl.layers.Layer;

// Weight names as tensorflowjs_converter and tfjs write them: `block1_conv1/kernel`, sometimes
// under a model prefix (`vgg16/block1_conv1/kernel`) or with TF's `:0` suffix.
function weightKey(name: string): { layer: string; weight: string } | undefined {
  const parts = name.replace(/:\d+$/, '').split('/');
  if (parts.length < 2) return undefined;
  return { layer: parts[parts.length - 2], weight: parts[parts.length - 1] };
}

/** The layers holding weights, looking inside nested models (a base inside a bigger model). */
function weightedLayers(container: tfl.LayersModel, out: Layer[] = []): Layer[] {
  for (const layer of container.layers) {
    if (isNestedModel(layer)) {
      weightedLayers(layer, out);
    } else if (layer.weights.length > 0) {
      out.push(layer);
    }
  }
  return out;
}

const shapeText = (shape: readonly (number | null)[]) => `[${shape.join(', ')}]`;

async function readArtifacts(
  source: ModelSource,
  resolve: ResolveLoadHandler,
): Promise<tf.io.ModelArtifacts> {
  const handler = typeof source === 'string' ? resolve(source, 'weights') : source;
  if (typeof handler.load !== 'function') {
    throw new ModelError('weights is an IOHandler without a load method', { source: 'weights' });
  }
  try {
    return await handler.load();
  } catch (error) {
    if (error instanceof ModelError) throw error;
    throw new ModelError(
      `cannot read weights from ${describeSource(source)}: ${messageOf(error)}`,
      {
        source: describeSource(source),
        cause: error,
      },
    );
  }
}

/**
 * Copies weights into `model` by layer name from a tfjs Layers model (model.json and weight
 * shards, as tensorflowjs_converter writes from a Keras .h5 file, or as saveModel writes). Every
 * layer with weights must find its weights under its own name, with the same shapes; otherwise a
 * ModelError names the layer and nothing is changed. Layers of the source that the model lacks
 * are ignored (a full VGG16 file fills a VGG16 without its top).
 */
export async function loadWeightsByNameWith(
  model: tfl.LayersModel,
  source: ModelSource,
  options: LoadWeightsByNameOptions,
  resolve: ResolveLoadHandler,
): Promise<LoadWeightsReport> {
  const where = describeSource(source);
  const artifacts = await readArtifacts(source, resolve);
  if (!artifacts.weightSpecs || !artifacts.weightData) {
    throw new ModelError(`${where} holds no weights (no weightsManifest or weight data)`, {
      source: where,
    });
  }
  let named: tf.NamedTensorMap;
  try {
    named = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  } catch (error) {
    throw new ModelError(`the weights of ${where} cannot be decoded: ${messageOf(error)}`, {
      source: where,
      cause: error,
    });
  }
  try {
    const byLayer = new Map<string, Map<string, tf.Tensor>>();
    for (const [name, tensor] of Object.entries(named)) {
      const key = weightKey(name);
      if (!key) continue;
      const weights = byLayer.get(key.layer) ?? new Map<string, tf.Tensor>();
      weights.set(key.weight, tensor);
      byLayer.set(key.layer, weights);
    }

    // Check everything first, so that a bad file leaves the model as it was.
    const plan: { layer: Layer; values: tf.Tensor[] }[] = [];
    const missing: string[] = [];
    for (const layer of weightedLayers(model)) {
      const found = byLayer.get(layer.name);
      const expected = layer.weights.map(
        (w) => `${layer.name}/${w.originalName.split('/').pop()} ${shapeText(w.shape)}`,
      );
      if (!found) {
        if (options.skipMissing) {
          missing.push(layer.name);
          continue;
        }
        const available = [...byLayer.keys()];
        throw new ModelError(
          `${where} has no weights for layer "${layer.name}" (expected ${expected.join(' and ')}); ` +
            `its layers: ${available.length > 0 ? available.join(', ') : 'none'}`,
          { source: layer.name },
        );
      }
      const values = layer.weights.map((w, i) => {
        const short = w.originalName.split('/').pop() as string;
        const value = found.get(short);
        if (!value) {
          throw new ModelError(
            `${where} has layer "${layer.name}" but not its weight "${short}" (expected ${expected[i]}); ` +
              `it has ${[...found.keys()].join(', ')}`,
            { source: layer.name },
          );
        }
        if (!tf.util.arraysEqual(value.shape, w.shape as number[])) {
          throw new ModelError(
            `layer "${layer.name}": weight "${short}" in ${where} has shape ${shapeText(value.shape)}; ` +
              `the model expects ${shapeText(w.shape)}`,
            { source: layer.name },
          );
        }
        return value;
      });
      plan.push({ layer, values });
    }
    for (const { layer, values } of plan) layer.setWeights(values);
    const used = new Set(plan.map((p) => p.layer.name));
    return {
      loaded: plan.map((p) => p.layer.name),
      missing,
      unused: [...byLayer.keys()].filter((name) => !used.has(name)),
    };
  } finally {
    // setWeights copies the values into the layers' variables.
    tf.dispose(named);
  }
}

/** loadWeightsByName in the browser: `source` is a URL tfjs can load from, or an IOHandler. */
export function loadWeightsByName(
  model: tfl.LayersModel,
  source: ModelSource,
  options: LoadWeightsByNameOptions = {},
): Promise<LoadWeightsReport> {
  return loadWeightsByNameWith(model, source, options, browserLoadHandler);
}
