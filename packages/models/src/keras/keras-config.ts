import { ModelError } from '../errors.js';

/** A JSON object as Keras's configs are made of. */
export type Json = Record<string, unknown>;

/** Keras's layer classes that cnnlab reads and writes: the workshop's networks and VGG16's. */
export const KERAS_LAYERS = [
  'InputLayer',
  'Conv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'Flatten',
  'Dense',
  'Dropout',
  'Activation',
] as const;

const MODEL_CLASSES = ['Sequential', 'Functional', 'Model'];

/** Arguments of the layers with a kernel and a bias (Conv2D, Dense), after their own. */
const WEIGHT_KEYS = [
  'activation',
  'use_bias',
  'kernel_initializer',
  'bias_initializer',
  'kernel_regularizer',
  'bias_regularizer',
  'activity_regularizer',
  'kernel_constraint',
  'bias_constraint',
];

const POOL_KEYS = ['pool_size', 'strides', 'padding', 'data_format'];

/** Keras's constructor arguments per class: Keras 2 and 3 both build a layer as `cls(**config)`. */
const LAYER_KEYS: Record<string, readonly string[]> = {
  Conv2D: [
    'filters',
    'kernel_size',
    'strides',
    'padding',
    'data_format',
    'dilation_rate',
    'groups',
    ...WEIGHT_KEYS,
  ],
  Dense: ['units', ...WEIGHT_KEYS],
  MaxPooling2D: POOL_KEYS,
  AveragePooling2D: POOL_KEYS,
  GlobalAveragePooling2D: ['data_format', 'keepdims'],
  GlobalMaxPooling2D: ['data_format', 'keepdims'],
  Flatten: ['data_format'],
  Dropout: ['rate', 'noise_shape', 'seed'],
  Activation: ['activation'],
};

/** Every layer's own arguments. */
const BASE_KEYS = ['name', 'trainable', 'dtype'];

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function unsupported(className: unknown, name: unknown, where: string): ModelError {
  return new ModelError(
    `${where}: layer ${JSON.stringify(name ?? '?')} is a ${String(className)}, which cnnlab cannot load (it reads ${KERAS_LAYERS.join(', ')}, inside Sequential or Functional models)`,
    { source: where },
  );
}

// ---------------------------------------------------------------------------------------------
// Reading: a Keras 2 `model_config` or a Keras 3 `config.json`, into the Keras 2 form tfjs reads.
// ---------------------------------------------------------------------------------------------

/** A Keras 3 serialized object ({module, class_name, config, registered_name}) as Keras 2 wrote it. */
function plainObject(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainObject);
  if (!isObject(value)) return value;
  if (typeof value.class_name === 'string' && 'config' in value) {
    // A Keras 3 DTypePolicy: tfjs wants the dtype's name. Mixed policies keep float32 variables.
    if (value.class_name === 'DTypePolicy' || value.class_name === 'DTypePolicyV2') {
      const name = isObject(value.config) ? String(value.config.name) : 'float32';
      return name.startsWith('mixed_') ? 'float32' : name;
    }
    // A built-in function (an activation) serialized as an object: its name.
    if (value.class_name === 'function' && typeof value.config === 'string') return value.config;
    return { class_name: value.class_name, config: plainObject(value.config) };
  }
  const out: Json = {};
  for (const [key, inner] of Object.entries(value)) out[key] = plainObject(inner);
  return out;
}

/** The tensors a Keras 3 node's arguments name, as Keras 2's [layer, node, tensor, {}] entries. */
function historyOf(value: unknown, out: unknown[][] = []): unknown[][] {
  if (Array.isArray(value)) {
    for (const inner of value) historyOf(inner, out);
  } else if (isObject(value)) {
    if (value.class_name === '__keras_tensor__' && isObject(value.config)) {
      const history = value.config.keras_history;
      if (Array.isArray(history)) out.push([history[0], history[1], history[2], {}]);
    } else {
      for (const inner of Object.values(value)) historyOf(inner, out);
    }
  }
  return out;
}

/** Keras 3's inbound nodes ({args, kwargs} each) in Keras 2's nested-list form; Keras 2's as given. */
function legacyInboundNodes(nodes: unknown): unknown {
  if (!Array.isArray(nodes)) return [];
  return nodes.map((node) => (isObject(node) ? historyOf(node.args) : node));
}

/** Keras 3 writes one input as a flat [name, node, tensor]; tfjs wants a list of them. */
function tensorList(value: unknown): unknown {
  if (Array.isArray(value) && typeof value[0] === 'string') return [value];
  return value;
}

function layerToTfjs(entry: unknown, where: string, inFunctional: boolean): Json {
  if (!isObject(entry))
    throw new ModelError(`${where}: a layer entry is not an object`, { source: where });
  const className = entry.class_name;
  const config = isObject(entry.config) ? entry.config : {};
  const name = config.name ?? entry.name;
  if (typeof className === 'string' && MODEL_CLASSES.includes(className)) {
    const nested = modelToTfjs(entry, where);
    if (inFunctional) {
      nested.name = entry.name ?? name;
      nested.inbound_nodes = legacyInboundNodes(entry.inbound_nodes);
    }
    return nested;
  }
  if (typeof className !== 'string' || !(KERAS_LAYERS as readonly string[]).includes(className)) {
    throw unsupported(className, name, where);
  }
  const plain = plainObject(config) as Json;
  if (className === 'InputLayer') {
    // Keras 3: batch_shape; Keras 2 (and tfjs): batch_input_shape.
    if (plain.batch_shape !== undefined && plain.batch_input_shape === undefined) {
      plain.batch_input_shape = plain.batch_shape;
    }
    delete plain.batch_shape;
    delete plain.optional;
  }
  const out: Json = { class_name: className, config: plain };
  if (inFunctional) {
    out.name = entry.name ?? name;
    out.inbound_nodes = legacyInboundNodes(entry.inbound_nodes);
  }
  return out;
}

function modelToTfjs(entry: Json, where: string): Json {
  const className = String(entry.class_name);
  const config = isObject(entry.config) ? entry.config : undefined;
  // Keras 1 and early Keras 2 Sequential configs were the list of layers itself.
  const layers = Array.isArray(entry.config) ? entry.config : config?.layers;
  if (!Array.isArray(layers)) {
    throw new ModelError(`${where}: the ${className} model's config has no list of layers`, {
      source: where,
    });
  }
  const functional = className !== 'Sequential';
  const out: Json = {
    name: config?.name ?? (functional ? 'model' : 'sequential'),
    layers: layers.map((layer) => layerToTfjs(layer, where, functional)),
  };
  if (functional) {
    out.input_layers = tensorList(config?.input_layers);
    out.output_layers = tensorList(config?.output_layers);
  }
  return { class_name: functional ? 'Functional' : 'Sequential', config: out };
}

/**
 * A Keras model config (Keras 2's `model_config` attribute or Keras 3's `config.json`) as the
 * Keras 2 topology tfjs-layers deserializes, after checking that every layer is one cnnlab reads.
 * `where` names the file in errors.
 */
export function toTfjsTopology(config: unknown, where: string): Json {
  if (!isObject(config) || typeof config.class_name !== 'string') {
    throw new ModelError(
      `${where}: the model config is not a Keras model ({"class_name": …, "config": …})`,
      {
        source: where,
      },
    );
  }
  if (!MODEL_CLASSES.includes(config.class_name)) {
    throw new ModelError(
      `${where}: the model is a ${config.class_name}; cnnlab reads Sequential and Functional models`,
      { source: where },
    );
  }
  return modelToTfjs(config, where);
}

// ---------------------------------------------------------------------------------------------
// Writing: tfjs's model JSON (Keras 2's form, with tfjs's own names for some values) as Keras 2's
// `model_config` or Keras 3's `config.json`.
// ---------------------------------------------------------------------------------------------

/** Which Keras writes the file: 2 (the `.h5` full-model layout) or 3 (the `.keras` archive). */
export type KerasFlavour = 2 | 3;

// tfjs spells Keras's named initializers as VarianceScaling with their parameters.
const NAMED_SCALINGS: readonly [scale: number, mode: string, distribution: string, name: string][] =
  [
    [1, 'fan_avg', 'uniform', 'GlorotUniform'],
    [1, 'fan_avg', 'normal', 'GlorotNormal'],
    [2, 'fan_in', 'uniform', 'HeUniform'],
    [2, 'fan_in', 'normal', 'HeNormal'],
    [1, 'fan_in', 'uniform', 'LecunUniform'],
    [1, 'fan_in', 'normal', 'LecunNormal'],
  ];

const INITIALIZER_KEYS: Record<string, readonly string[]> = {
  Zeros: [],
  Ones: [],
  Constant: ['value'],
  RandomNormal: ['mean', 'stddev', 'seed'],
  RandomUniform: ['minval', 'maxval', 'seed'],
  TruncatedNormal: ['mean', 'stddev', 'seed'],
  Orthogonal: ['gain', 'seed'],
  Identity: ['gain'],
  VarianceScaling: ['scale', 'mode', 'distribution', 'seed'],
};

function pick(config: Json, keys: readonly string[]): Json {
  const out: Json = {};
  for (const key of keys) if (key in config) out[key] = config[key];
  return out;
}

function keras3Object(module: string, className: string, config: unknown): Json {
  return { module, class_name: className, config, registered_name: null };
}

function initializer(value: unknown, flavour: KerasFlavour): unknown {
  if (!isObject(value) || typeof value.class_name !== 'string') return value;
  const config = isObject(value.config) ? value.config : {};
  let className = value.class_name;
  let out: Json;
  if (className === 'VarianceScaling') {
    const named = NAMED_SCALINGS.find(
      ([scale, mode, distribution]) =>
        config.scale === scale && config.mode === mode && config.distribution === distribution,
    );
    if (named) {
      className = named[3];
      out = { seed: config.seed ?? null };
    } else {
      out = pick(config, INITIALIZER_KEYS.VarianceScaling);
      // tfjs's 'normal' draws from a truncated normal; Keras 3 knows only the explicit names.
      if (out.distribution === 'normal') out.distribution = 'truncated_normal';
    }
  } else if (NAMED_SCALINGS.some((s) => s[3] === className)) {
    out = { seed: config.seed ?? null };
  } else {
    out = pick(config, INITIALIZER_KEYS[className] ?? Object.keys(config));
  }
  return flavour === 3
    ? keras3Object('keras.initializers', className, out)
    : { class_name: className, config: out };
}

function serializable(value: unknown, module: string, flavour: KerasFlavour): unknown {
  if (!isObject(value) || typeof value.class_name !== 'string') return value;
  return flavour === 3
    ? keras3Object(module, value.class_name, value.config ?? {})
    : { class_name: value.class_name, config: value.config ?? {} };
}

/** One tfjs layer entry's config with only Keras's arguments, values in Keras's spelling. */
function kerasLayerConfig(className: string, config: Json, flavour: KerasFlavour): Json {
  const out = pick(config, [...BASE_KEYS, ...(LAYER_KEYS[className] ?? [])]);
  out.dtype = 'float32';
  if (out.trainable === undefined) out.trainable = true;
  for (const key of ['kernel_initializer', 'bias_initializer']) {
    if (key in out) out[key] = initializer(out[key], flavour);
  }
  for (const key of ['kernel_regularizer', 'bias_regularizer', 'activity_regularizer']) {
    if (key in out) out[key] = serializable(out[key], 'keras.regularizers', flavour);
  }
  for (const key of ['kernel_constraint', 'bias_constraint']) {
    if (key in out) out[key] = serializable(out[key], 'keras.constraints', flavour);
  }
  if (className === 'Conv2D' && out.groups === undefined) out.groups = 1;
  return out;
}

function inputLayer(name: string, batchShape: unknown, flavour: KerasFlavour): Json {
  const config =
    flavour === 3
      ? { batch_shape: batchShape, dtype: 'float32', sparse: false, name }
      : { batch_input_shape: batchShape, dtype: 'float32', sparse: false, ragged: false, name };
  return flavour === 3
    ? keras3Object('keras.layers', 'InputLayer', config)
    : { class_name: 'InputLayer', config };
}

function layerEntry(className: string, config: Json, flavour: KerasFlavour): Json {
  return flavour === 3
    ? keras3Object('keras.layers', className, config)
    : { class_name: className, config };
}

/** The output shape of a tensor a Functional config names, for Keras 3's node arguments. */
export type ShapeOf = (layer: string, node: number, tensor: number) => readonly (number | null)[];

function checkLayerClass(entry: Json): string {
  const className = String(entry.class_name);
  const config = isObject(entry.config) ? entry.config : {};
  if (MODEL_CLASSES.includes(className)) {
    throw new ModelError(
      `layer ${JSON.stringify(config.name ?? entry.name)} is a nested model, which cnnlab does not write into Keras files yet: build the model flat (withHead does)`,
      { source: String(config.name ?? entry.name) },
    );
  }
  if (!(KERAS_LAYERS as readonly string[]).includes(className)) {
    throw new ModelError(
      `layer ${JSON.stringify(config.name ?? entry.name)} is a ${className}, which cnnlab cannot write into Keras files (it writes ${KERAS_LAYERS.join(', ')})`,
      { source: String(config.name ?? entry.name) },
    );
  }
  return className;
}

/**
 * tfjs's `model.toJSON(null, false)` as the config Keras `flavour` writes: Keras 2's
 * `{class_name, config}` or Keras 3's `{module, class_name, config, registered_name,
 * build_config}`. `inputShape` is the model's batch input shape, `shapeOf` gives Functional
 * models' tensor shapes.
 */
export function toKerasConfig(
  tfjsJson: Json,
  flavour: KerasFlavour,
  inputShape: unknown,
  shapeOf: ShapeOf,
): Json {
  const className = String(tfjsJson.class_name);
  const config = isObject(tfjsJson.config) ? tfjsJson.config : {};
  const tfjsLayers = Array.isArray(config.layers) ? (config.layers as Json[]) : [];
  const name = typeof config.name === 'string' ? config.name : 'model';
  const buildConfig = { input_shape: inputShape };

  if (className === 'Sequential') {
    const layers: Json[] = [];
    tfjsLayers.forEach((entry, i) => {
      const layerClass = checkLayerClass(entry);
      const layerConfig = isObject(entry.config) ? entry.config : {};
      if (layerClass === 'InputLayer') {
        layers.push(
          inputLayer(
            String(layerConfig.name ?? `${name}_input`),
            layerConfig.batch_input_shape,
            flavour,
          ),
        );
        return;
      }
      if (i === 0)
        layers.push(inputLayer(`${String(layerConfig.name)}_input`, inputShape, flavour));
      layers.push(
        layerEntry(layerClass, kerasLayerConfig(layerClass, layerConfig, flavour), flavour),
      );
    });
    const body: Json = { name, layers };
    if (flavour === 2) return { class_name: 'Sequential', config: body };
    return {
      module: 'keras',
      class_name: 'Sequential',
      config: { ...body, trainable: true, dtype: 'float32', build_input_shape: inputShape },
      registered_name: null,
      build_config: buildConfig,
    };
  }

  const layers = tfjsLayers.map((entry) => {
    const layerClass = checkLayerClass(entry);
    const layerConfig = isObject(entry.config) ? entry.config : {};
    const layerName = String(entry.name ?? layerConfig.name);
    const nodes = Array.isArray(entry.inbound_nodes) ? (entry.inbound_nodes as unknown[][][]) : [];
    const out =
      layerClass === 'InputLayer'
        ? inputLayer(layerName, layerConfig.batch_input_shape, flavour)
        : layerEntry(layerClass, kerasLayerConfig(layerClass, layerConfig, flavour), flavour);
    out.name = layerName;
    out.inbound_nodes =
      flavour === 2
        ? nodes
        : nodes.map((node) => {
            const tensors = node.map(([layer, nodeIndex, tensorIndex]) => ({
              class_name: '__keras_tensor__',
              config: {
                shape: shapeOf(String(layer), Number(nodeIndex), Number(tensorIndex)),
                dtype: 'float32',
                keras_history: [layer, nodeIndex, tensorIndex],
              },
            }));
            return { args: tensors.length === 1 ? tensors : [tensors], kwargs: {} };
          });
    return out;
  });
  const ends = (value: unknown) =>
    flavour === 3 && Array.isArray(value) && value.length === 1 ? value[0] : value;
  const body: Json = {
    name,
    trainable: true,
    layers,
    input_layers: ends(config.input_layers),
    output_layers: ends(config.output_layers),
  };
  if (flavour === 2) return { class_name: 'Functional', config: body };
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: body,
    registered_name: 'Functional',
    build_config: buildConfig,
  };
}
