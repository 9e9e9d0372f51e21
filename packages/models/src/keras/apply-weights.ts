import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from '../errors.js';
import { isNestedModel } from '../nested-model.js';
import { containerPaths } from './snake-case.js';
import type { StoredWeight, WeightStore } from './weights-file.js';

export interface LoadKerasWeightsOptions {
  /**
   * Leave layers whose weights have other shapes (or another count) in the file as they are and
   * report them, as Keras's `skip_mismatch=True`; by default any mismatch fails and nothing is
   * loaded.
   */
  skipMismatch?: boolean;
  /**
   * Fail when a layer of the model with weights has none in the file, instead of skipping it and
   * reporting it (Keras's `by_name=True` skips). loadKerasModel always requires all.
   */
  requireAll?: boolean;
}

/** A weight whose shape in the file differs from the model's. */
export interface WeightMismatch {
  layer: string;
  weight: string;
  expected: number[];
  found: number[];
}

/** What loadKerasWeights did. */
export interface LoadKerasWeightsReport {
  /** Which of Keras's layouts the file has: 2 (layers by name) or 3 (layers by class path). */
  layout: 'keras2' | 'keras3';
  /** Model layers whose weights were set. */
  loaded: string[];
  /** Model layers with weights that the file does not hold, left as they were. */
  skipped: string[];
  /** Layers in the file that the model does not have (by name, or Keras 3 path). */
  unused: string[];
  /** Weights whose shapes differ; only with `skipMismatch` (otherwise they fail). */
  mismatched: WeightMismatch[];
}

type Layer = tfl.layers.Layer;
type Variable = tfl.LayerVariable;

/** Keras 2's weight order of a layer: trainable first (`_legacy_weights`). */
const legacyOrder = (layer: Layer): Variable[] => [
  ...layer.trainableWeights,
  ...layer.nonTrainableWeights,
];

const shortName = (variable: Variable) =>
  variable.originalName.split('/').pop() ?? variable.originalName;

interface Match {
  name: string;
  variables: Variable[];
  stored: StoredWeight[] | undefined;
}

/** Keras 3's paths of a model's layers: Sequential leaves its InputLayer out of `layers`. */
function keras3Matches(
  model: tfl.LayersModel,
  prefix: string,
  store: WeightStore & { layout: 'keras3' },
  out: Match[],
) {
  let layers = model.layers;
  if (model.getClassName() === 'Sequential' && layers[0]?.getClassName() === 'InputLayer') {
    layers = layers.slice(1);
  }
  const paths = containerPaths(layers.map((layer) => layer.getClassName()));
  layers.forEach((layer, i) => {
    const path = `${prefix}/${paths[i]}`;
    if (isNestedModel(layer)) {
      keras3Matches(layer, `${path}/layers`, store, out);
    } else if (layer.weights.length > 0) {
      out.push({ name: layer.name, variables: layer.weights, stored: store.at(path) });
    }
  });
}

function matches(model: tfl.LayersModel, store: WeightStore): Match[] {
  if (store.layout === 'keras3') {
    const out: Match[] = [];
    keras3Matches(model, 'layers', store, out);
    return out;
  }
  return model.layers
    .filter((layer) => layer.weights.length > 0)
    .map((layer) => ({
      name: layer.name,
      variables: legacyOrder(layer),
      stored: store.layer(layer.name),
    }));
}

function usedKeras3Paths(model: tfl.LayersModel, prefix: string, out: Set<string>) {
  let layers = model.layers;
  if (model.getClassName() === 'Sequential' && layers[0]?.getClassName() === 'InputLayer') {
    layers = layers.slice(1);
  }
  const paths = containerPaths(layers.map((layer) => layer.getClassName()));
  layers.forEach((layer, i) => {
    const path = `${prefix}/${paths[i]}`;
    out.add(path);
    if (isNestedModel(layer)) usedKeras3Paths(layer, `${path}/layers`, out);
  });
}

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * Checks every weight of `model` against `store` first and only then sets them, so that a file
 * that does not fit leaves the model as it was.
 */
export function applyKerasWeights(
  model: tfl.LayersModel,
  store: WeightStore,
  where: string,
  options: LoadKerasWeightsOptions = {},
): LoadKerasWeightsReport {
  const report: LoadKerasWeightsReport = {
    layout: store.layout,
    loaded: [],
    skipped: [],
    unused: [],
    mismatched: [],
  };
  const plan: { variables: Variable[]; stored: StoredWeight[] }[] = [];
  const missing: string[] = [];
  const problems: string[] = [];
  for (const match of matches(model, store)) {
    if (!match.stored) {
      missing.push(`layer ${match.name} has no weights in the file`);
      report.skipped.push(match.name);
      continue;
    }
    const stored = match.stored;
    const mismatched: WeightMismatch[] = [];
    if (stored.length !== match.variables.length) {
      mismatched.push({
        layer: match.name,
        weight: `${match.variables.length} weights`,
        expected: [match.variables.length],
        found: [stored.length],
      });
      problems.push(
        `layer ${match.name} has ${match.variables.length} weights (${match.variables.map(shortName).join(', ')}), the file ${stored.length}`,
      );
    } else {
      match.variables.forEach((variable, i) => {
        const expected = variable.shape as number[];
        const found = stored[i]?.shape ?? [];
        if (expected.length !== found.length || expected.some((d, k) => d !== found[k])) {
          mismatched.push({ layer: match.name, weight: shortName(variable), expected, found });
          problems.push(
            `layer ${match.name} weight ${shortName(variable)}: the model has ${shapeText(expected)}, the file ${shapeText(found)}`,
          );
        }
      });
    }
    if (mismatched.length > 0) {
      report.mismatched.push(...mismatched);
      continue;
    }
    plan.push({ variables: match.variables, stored });
    report.loaded.push(match.name);
  }
  if (store.layout === 'keras2') {
    const names = new Set(model.layers.map((layer) => layer.name));
    report.unused = store.layerNames.filter(
      (name) => !names.has(name) && (store.layer(name)?.length ?? 0) > 0,
    );
  } else {
    const used = new Set<string>();
    usedKeras3Paths(model, 'layers', used);
    report.unused = store.paths.filter((path) => !used.has(path));
  }
  const fatal = [...(options.requireAll ? missing : []), ...(options.skipMismatch ? [] : problems)];
  if (fatal.length > 0) {
    const more = fatal.length > 3 ? ` (and ${fatal.length - 3} more)` : '';
    throw new ModelError(
      `${where} does not fit the model: ${fatal.slice(0, 3).join('; ')}${more}`,
      {
        source: where,
      },
    );
  }
  // Read everything before setting anything: a value that cannot be read leaves the model whole.
  const values = plan.map(({ variables, stored }) =>
    stored.map((weight, i) => ({ variable: variables[i] as Variable, data: weight.read() })),
  );
  for (const layer of values) {
    for (const { variable, data } of layer) {
      const value = tf.tensor(data, variable.shape as number[], 'float32');
      variable.write(value);
      value.dispose();
    }
  }
  return report;
}
