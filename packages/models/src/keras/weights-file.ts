import type * as H5 from 'h5wasm';
import { ModelError } from '../errors.js';
import type { H5Group } from './h5-platform.js';

/** One weight array in a file: its name and shape at once, its values only when asked. */
export interface StoredWeight {
  name: string;
  shape: number[];
  read(): Float32Array;
}

/**
 * The weights of a Keras file, in one of Keras's two layouts: Keras 2's (`layer_names`, a group a
 * layer with `weight_names`: `save_weights`, a full model's `model_weights`, Keras's published
 * VGG16 files) found by layer name, or Keras 3's (`layers/<class path>/vars/<i>`) found by path.
 */
export type WeightStore =
  | { layout: 'keras2'; layerNames: string[]; layer(name: string): StoredWeight[] | undefined }
  | { layout: 'keras3'; paths: string[]; at(path: string): StoredWeight[] | undefined };

const isGroup = (entity: unknown): entity is H5Group =>
  typeof entity === 'object' && entity !== null && 'keys' in entity && 'create_group' in entity;
const isDataset = (entity: unknown): entity is H5.Dataset =>
  typeof entity === 'object' && entity !== null && 'shape' in entity && 'metadata' in entity;

/** A string-list attribute as Keras writes it, including its chunked form (`name0`, `name1`, …). */
export function stringList(group: H5Group, name: string): string[] | undefined {
  const attrs = group.attrs;
  const one = (key: string): string[] => {
    const value = attrs[key]?.value;
    if (value === null || value === undefined) return [];
    // numpy writes an empty list as an empty float array (a weightless layer's weight_names).
    if (ArrayBuffer.isView(value))
      return value.byteLength === 0 ? [] : [new TextDecoder().decode(value)];
    const list = Array.isArray(value) ? value : [value];
    return list.map(String);
  };
  if (name in attrs) return one(name);
  if (!(`${name}0` in attrs)) return undefined;
  const out: string[] = [];
  for (let i = 0; `${name}${i}` in attrs; i++) out.push(...one(`${name}${i}`));
  return out;
}

/** IEEE half precision to single. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function storedWeight(dataset: H5.Dataset, name: string, where: string): StoredWeight {
  const shape = dataset.shape ?? [];
  return {
    name,
    shape,
    read() {
      const meta = dataset.metadata;
      const value = dataset.value;
      if (meta.type === 1 && meta.size === 4 && value instanceof Float32Array) return value;
      if (meta.type === 1 && meta.size === 8 && value instanceof Float64Array)
        return Float32Array.from(value);
      if (meta.type === 1 && meta.size === 2 && value instanceof Uint16Array)
        return Float32Array.from(value, halfToFloat);
      throw new ModelError(
        `${where}: weight ${name} holds ${meta.type === 1 ? `${meta.size * 8}-bit floats` : 'values that are not floats'} of a kind cnnlab does not read (float16, float32 or float64)`,
        { source: where },
      );
    },
  };
}

function keras2Store(group: H5Group, layerNames: string[], where: string): WeightStore {
  return {
    layout: 'keras2',
    layerNames,
    layer(name) {
      const layer = group.get(name);
      if (!isGroup(layer)) return undefined;
      const names = stringList(layer, 'weight_names') ?? [];
      return names.map((weightName) => {
        const dataset = layer.get(weightName);
        if (!isDataset(dataset)) {
          throw new ModelError(
            `${where}: layer ${name} names weight ${weightName}, which the file does not hold`,
            {
              source: where,
            },
          );
        }
        return storedWeight(dataset, weightName, where);
      });
    },
  };
}

function keras3Store(root: H5Group, top: string, where: string): WeightStore {
  const paths: string[] = [];
  const walk = (group: H5Group, path: string) => {
    for (const key of group.keys()) {
      const child = group.get(key);
      if (!isGroup(child)) continue;
      if (key === 'vars') {
        if (child.keys().length > 0) paths.push(path);
      } else {
        walk(child, `${path}/${key}`);
      }
    }
  };
  const layers = root.get(top);
  if (isGroup(layers)) walk(layers, 'layers');
  return {
    layout: 'keras3',
    paths,
    at(path) {
      // Keras 2.13's .keras files named the list `_layer_checkpoint_dependencies`.
      const vars = root.get(`${path.replace(/^layers/, top)}/vars`);
      if (!isGroup(vars)) return undefined;
      const keys = vars.keys().sort((a, b) => Number(a) - Number(b));
      return keys.map((key) => {
        const dataset = vars.get(key);
        if (!isDataset(dataset)) {
          throw new ModelError(`${where}: ${path}/vars/${key} is not a dataset`, { source: where });
        }
        return storedWeight(dataset, `${path}/vars/${key}`, where);
      });
    },
  };
}

/** The weights of `group` (a file's root, or a full model's `model_weights`), in whichever layout. */
export function weightStore(group: H5Group, where: string): WeightStore {
  const layerNames = stringList(group, 'layer_names');
  if (layerNames) return keras2Store(group, layerNames, where);
  const keys = group.keys();
  if (keys.includes('layers')) return keras3Store(group, 'layers', where);
  if (keys.includes('_layer_checkpoint_dependencies')) {
    return keras3Store(group, '_layer_checkpoint_dependencies', where);
  }
  if (keys.includes('model_weights')) {
    const inner = group.get('model_weights');
    if (isGroup(inner)) return weightStore(inner, where);
  }
  throw new ModelError(
    `${where} holds no Keras weights: expected a layer_names attribute (Keras 2) or a layers group (Keras 3)`,
    { source: where },
  );
}

export { isGroup };
