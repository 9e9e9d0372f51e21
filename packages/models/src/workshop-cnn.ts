import * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from './errors.js';
import { LayerNamer } from './names.js';
import { checkClasses, checkInteger, checkRate, checkShape } from './validate.js';
import { withSeed } from './with-seed.js';

/** Options shared by the workshop's convolutional networks. */
export interface WorkshopCnnOptions {
  /** `[h, w, channels]`; default [28, 28, 1]. At least 18×18, what three 3×3 convolutions and two 2×2 pools need. */
  inputShape?: readonly number[];
  classes?: number;
  /** Dropout rate before the output layer (0 leaves the layer out). */
  dropout?: number;
  /** Units of the dense layer after Flatten. */
  denseUnits?: number;
  /** Model name. */
  name?: string;
  /**
   * Seed of the initial weights: the same seed gives bit-identical weights, another seed other
   * weights. Default: unseeded (tfjs draws from Math.random). See withSeed.
   */
  seed?: number;
}

// conv 3×3 (valid) → pool 2 → conv 3×3 → pool 2 → conv 3×3 leaves ≥ 1 pixel only from 18 up.
const MIN_SIZE = 18;

/**
 * Conv2D 32 → MaxPooling2D 2 → Conv2D 64 → MaxPooling2D 2 → Conv2D 64 → Flatten → Dense relu →
 * (Dropout) → Dense softmax, named as Keras names a fresh Sequential's layers.
 */
export function workshopCnn(
  options: WorkshopCnnOptions,
  defaults: Required<Omit<WorkshopCnnOptions, 'inputShape' | 'seed'>>,
  builder: string,
): tfl.LayersModel {
  const inputShape = checkShape(options.inputShape ?? [28, 28, 1], 'inputShape', [3]);
  if (inputShape[0] < MIN_SIZE || inputShape[1] < MIN_SIZE) {
    throw new ModelError(
      `inputShape is [${inputShape.join(', ')}]; ${builder} needs images of at least ${MIN_SIZE}×${MIN_SIZE}`,
      { source: 'inputShape' },
    );
  }
  const classes = checkClasses(options.classes ?? defaults.classes);
  const dropout = checkRate(options.dropout ?? defaults.dropout, 'dropout');
  const denseUnits = checkInteger(options.denseUnits ?? defaults.denseUnits, 'denseUnits');
  return withSeed(options.seed, () => {
    const names = new LayerNamer();
    const conv = (filters: number, first = false) =>
      tfl.layers.conv2d({
        filters,
        kernelSize: 3,
        activation: 'relu',
        ...(first ? { inputShape } : {}),
        name: names.next('conv2d'),
      });
    const pool = () => tfl.layers.maxPooling2d({ poolSize: 2, name: names.next('max_pooling2d') });
    const layers: tfl.layers.Layer[] = [
      conv(32, true),
      pool(),
      conv(64),
      pool(),
      conv(64),
      tfl.layers.flatten({ name: names.next('flatten') }),
      tfl.layers.dense({ units: denseUnits, activation: 'relu', name: names.next('dense') }),
    ];
    if (dropout > 0)
      layers.push(tfl.layers.dropout({ rate: dropout, name: names.next('dropout') }));
    layers.push(
      tfl.layers.dense({ units: classes, activation: 'softmax', name: names.next('dense') }),
    );
    return tfl.sequential({ layers, name: options.name ?? defaults.name });
  });
}
