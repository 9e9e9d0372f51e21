import * as tfl from '@tensorflow/tfjs-layers';
import { LayerNamer } from './names.js';
import { checkClasses, checkInteger, checkRate, checkShape } from './validate.js';
import { withSeed } from './with-seed.js';

export interface DenseMnistOptions {
  /** Default [784], the workshop's flattened digits; [28, 28] or [28, 28, 1] adds a Flatten. */
  inputShape?: readonly number[];
  /** Units of the hidden layer; default 512. */
  units?: number;
  /** Dropout rate after the hidden layer; default 0.5 (0 leaves the layer out). */
  dropout?: number;
  /** Default 10. */
  classes?: number;
  /** Model name; default 'dense_mnist'. */
  name?: string;
  /**
   * Seed of the initial weights: the same seed gives bit-identical weights, another seed other
   * weights. Default: unseeded (tfjs draws from Math.random). See withSeed.
   */
  seed?: number;
}

/**
 * The workshop's first network, uncompiled: Dense 512 relu on 784 inputs, Dropout 0.5,
 * Dense 10 softmax (407,050 parameters).
 */
export function denseMnist(options: DenseMnistOptions = {}): tfl.LayersModel {
  const inputShape = checkShape(options.inputShape ?? [784], 'inputShape', [1, 2, 3]);
  const units = checkInteger(options.units ?? 512, 'units');
  const dropout = checkRate(options.dropout ?? 0.5, 'dropout');
  const classes = checkClasses(options.classes ?? 10);
  return withSeed(options.seed, () => {
    const names = new LayerNamer();
    const model = tfl.sequential({ name: options.name ?? 'dense_mnist' });
    if (inputShape.length > 1) {
      model.add(tfl.layers.flatten({ inputShape, name: names.next('flatten') }));
    }
    model.add(
      tfl.layers.dense({
        units,
        activation: 'relu',
        // Only the first layer of a Sequential takes the input shape.
        ...(inputShape.length === 1 ? { inputShape } : {}),
        name: names.next('dense'),
      }),
    );
    if (dropout > 0) model.add(tfl.layers.dropout({ rate: dropout, name: names.next('dropout') }));
    model.add(
      tfl.layers.dense({ units: classes, activation: 'softmax', name: names.next('dense') }),
    );
    return model;
  });
}
