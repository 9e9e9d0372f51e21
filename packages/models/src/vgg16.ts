import * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from './errors.js';
import { loadKerasWeights } from './keras/browser.js';
import { type LoadWeightsByNameOptions, loadWeightsByNameWith } from './load-weights-by-name.js';
import { checkClasses, checkShape } from './validate.js';
import { browserLoadHandler, type ModelSource, type ResolveLoadHandler } from './weights-source.js';
import { withSeed } from './with-seed.js';

export interface Vgg16Options {
  /** Keep the classifier (flatten, fc1, fc2, predictions); default true, as in Keras. */
  includeTop?: boolean;
  /** `[h, w, 3]`, each side at least 32; default [224, 224, 3]. */
  inputShape?: readonly number[];
  /** Output classes when includeTop; default 1000. */
  classes?: number;
  /** Without the top: 'avg' or 'max' adds global pooling after block5_pool. */
  pooling?: 'avg' | 'max' | null;
  /** Activation of `predictions`; default 'softmax'. */
  classifierActivation?: 'softmax' | 'sigmoid' | 'linear';
  /**
   * `null` (the default): random initialisation. Otherwise weights copied by layer name from a
   * Keras file (Keras's own `vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5`, any Keras 2 or 3
   * weights or model file: its bytes, or in Node a path ending in .h5 or .keras), or from a tfjs
   * Layers model (in Node a folder or model.json path, anywhere a URL tfjs can load from, or an
   * IOHandler). Nothing is ever downloaded for you: 'imagenet' needs Keras's file on disk.
   */
  weights?: ModelSource | Uint8Array | null;
  /** How weights load; see loadWeightsByName. */
  weightsOptions?: LoadWeightsByNameOptions;
  /**
   * Seed of the initial weights: the same seed gives bit-identical weights, another seed other
   * weights. Default: unseeded (tfjs draws from Math.random). With `weights`, only layers that
   * get no weights from the file (`weightsOptions.skipMissing`) keep seeded ones. See withSeed.
   */
  seed?: number;
}

/** vgg16's overloads: a model at once without weights, a promise of one when they must load. */
export interface Vgg16 {
  (options?: Vgg16Options & { weights?: null }): tfl.LayersModel;
  (options: Vgg16Options & { weights: ModelSource | Uint8Array }): Promise<tfl.LayersModel>;
  (options?: Vgg16Options): tfl.LayersModel | Promise<tfl.LayersModel>;
}

/** The convolutional blocks: filters and how many 3×3 convolutions each. */
const BLOCKS: readonly (readonly [filters: number, convs: number])[] = [
  [64, 2],
  [128, 2],
  [256, 3],
  [512, 3],
  [512, 3],
];

/** Five 2×2 pools halve the input five times; below 32 a side would vanish. */
const MIN_SIZE = 32;

function buildVgg16(options: Vgg16Options): tfl.LayersModel {
  const includeTop = options.includeTop ?? true;
  const inputShape = checkShape(options.inputShape ?? [224, 224, 3], 'inputShape', [3]);
  const [h, w, channels] = inputShape;
  if (h < MIN_SIZE || w < MIN_SIZE || channels !== 3) {
    throw new ModelError(
      `inputShape is [${inputShape.join(', ')}]; VGG16 expects [h, w, 3] with h and w at least ${MIN_SIZE}`,
      { source: 'inputShape' },
    );
  }
  const classes = checkClasses(options.classes ?? 1000);
  const pooling = options.pooling ?? null;
  if (pooling !== null && pooling !== 'avg' && pooling !== 'max') {
    throw new ModelError(`pooling is ${JSON.stringify(pooling)}; expected 'avg', 'max' or null`, {
      source: 'pooling',
    });
  }

  const input = tfl.input({ shape: inputShape, name: 'input_1' });
  let x: tfl.SymbolicTensor = input;
  const apply = (layer: tfl.layers.Layer) => {
    x = layer.apply(x) as tfl.SymbolicTensor;
  };
  BLOCKS.forEach(([filters, convs], b) => {
    for (let c = 1; c <= convs; c++) {
      apply(
        tfl.layers.conv2d({
          filters,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          name: `block${b + 1}_conv${c}`,
        }),
      );
    }
    apply(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }));
  });
  if (includeTop) {
    apply(tfl.layers.flatten({ name: 'flatten' }));
    apply(tfl.layers.dense({ units: 4096, activation: 'relu', name: 'fc1' }));
    apply(tfl.layers.dense({ units: 4096, activation: 'relu', name: 'fc2' }));
    apply(
      tfl.layers.dense({
        units: classes,
        activation: options.classifierActivation ?? 'softmax',
        name: 'predictions',
      }),
    );
  } else if (pooling === 'avg') {
    apply(tfl.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }));
  } else if (pooling === 'max') {
    apply(tfl.layers.globalMaxPooling2d({ name: 'global_max_pooling2d' }));
  }
  return tfl.model({ inputs: input, outputs: x, name: 'vgg16' });
}

/**
 * Loads Keras-file weights into a model when `source` is a Keras file (bytes, or in Node a path
 * ending in .h5 or .keras); undefined when it is not one, for tfjs's loaders to take.
 */
export type KerasWeightsHook = (
  model: tfl.LayersModel,
  source: ModelSource | Uint8Array,
  options: LoadWeightsByNameOptions,
) => Promise<unknown> | undefined;

/** Builds the vgg16 function around a way to turn string sources into handlers. */
export function createVgg16(resolve: ResolveLoadHandler, kerasWeights: KerasWeightsHook): Vgg16 {
  function vgg16(options: Vgg16Options = {}): tfl.LayersModel | Promise<tfl.LayersModel> {
    const { weights = null } = options;
    if (weights === 'imagenet') {
      throw new ModelError(
        "weights is 'imagenet', which @cnnlab/models never downloads: pass Keras's vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 (its path in Node, its bytes in a browser)",
        { source: 'weights' },
      );
    }
    const model = withSeed(options.seed, () => buildVgg16(options));
    if (weights === null) return model;
    const weightsOptions = options.weightsOptions ?? {};
    const loading =
      kerasWeights(model, weights, weightsOptions) ??
      loadWeightsByNameWith(model, weights as ModelSource, weightsOptions, resolve);
    return loading.then(
      () => model,
      (error: unknown) => {
        // The half-built model is of no use to the caller, and its weights are large.
        model.dispose();
        throw error;
      },
    );
  }
  return vgg16 as Vgg16;
}

/**
 * VGG16 with Keras's architecture and layer names (`block1_conv1` … `block5_pool`, `flatten`,
 * `fc1`, `fc2`, `predictions`), uncompiled: 14,714,688 parameters without the top and 138,357,544
 * with it at 224×224×3. Synchronous with `weights: null`; a promise when weights must load.
 */
export const vgg16: Vgg16 = createVgg16(browserLoadHandler, (model, source, options) =>
  source instanceof Uint8Array
    ? loadKerasWeights(model, source, { requireAll: !options.skipMissing, name: 'weights' })
    : undefined,
);
