import type * as tfl from '@tensorflow/tfjs-layers';
import type { LoadKerasWeightsOptions, LoadKerasWeightsReport } from './apply-weights.js';
import type { H5Platform } from './h5-platform.js';
import {
  kerasFormatOf,
  kerasModelBytes,
  loadKerasModelWith,
  loadKerasWeightsWith,
} from './keras-files.js';

let scratchCount = 0;

/** h5wasm's browser build, loaded on first use: HDF5 in an in-memory file system. */
export const browserH5: H5Platform = {
  load: () => import('h5wasm'),
  scratch: () => `/cnnlab-${++scratchCount}.h5`,
};

/** Bytes of a dropped file, a fetch or a zip entry. */
export type KerasBytes = Uint8Array | ArrayBuffer;

const asBytes = (bytes: KerasBytes) =>
  bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);

export interface KerasFileOptions {
  /** The file's name in error messages; default 'the Keras file'. */
  name?: string;
}

/**
 * A Keras model from a file's bytes, without Python: Keras 2's full-model `.h5` (`model_config` and
 * `model_weights`) or Keras 3's `.keras` archive (`config.json` and `model.weights.h5`), told
 * apart by their content. Sequential and Functional models of InputLayer, Conv2D, MaxPooling2D,
 * AveragePooling2D, global pooling, Flatten, Dense, Dropout and Activation; any other layer is a
 * ModelError naming it. Every weight must load, or nothing does.
 */
export function loadKerasModel(
  bytes: KerasBytes,
  options: KerasFileOptions = {},
): Promise<tfl.LayersModel> {
  return loadKerasModelWith(
    { kind: 'bytes', bytes: asBytes(bytes) },
    options.name ?? 'the Keras file',
    browserH5,
  );
}

/**
 * Sets `model`'s weights from a Keras file's bytes, as Keras's `load_weights(by_name=True)`: Keras 2
 * `save_weights` files (and the layout of Keras's published VGG16 files), full-model `.h5`, Keras
 * 3 `.weights.h5` and `.keras` (matched by layer class path, as Keras 3 does). Layers the file
 * lacks are skipped and reported; a shape mismatch fails unless `skipMismatch`.
 */
export function loadKerasWeights(
  model: tfl.LayersModel,
  bytes: KerasBytes,
  options: LoadKerasWeightsOptions & KerasFileOptions = {},
): Promise<LoadKerasWeightsReport> {
  return loadKerasWeightsWith(
    model,
    { kind: 'bytes', bytes: asBytes(bytes) },
    options.name ?? 'the Keras file',
    options,
    browserH5,
  );
}

/**
 * The model as a Keras file for a download: `fileName` ending in `.keras` gives Keras 3's archive,
 * `.h5` Keras 2's full-model file; both load in Keras with `keras.models.load_model`.
 */
export function saveKerasModel(
  model: tfl.LayersModel,
  fileName: string,
): Promise<Uint8Array<ArrayBuffer>> {
  return kerasModelBytes(model, kerasFormatOf(fileName, 'fileName'), browserH5);
}
