import type * as tfl from '@tensorflow/tfjs-layers';
import { type WorkshopCnnOptions, workshopCnn } from './workshop-cnn.js';

export type CnnMnistOptions = WorkshopCnnOptions;

/**
 * The workshop's MNIST CNN, uncompiled: Conv2D 32 3×3 relu on 28×28×1, MaxPooling2D 2,
 * Conv2D 64 3×3 relu, MaxPooling2D 2, Conv2D 64 3×3 relu, Flatten, Dense 64 relu,
 * Dense 10 softmax (93,322 parameters). `dropout` (default 0, as in the workshop) adds a Dropout
 * before the output layer.
 */
export function cnnMnist(options: CnnMnistOptions = {}): tfl.LayersModel {
  return workshopCnn(
    options,
    { classes: 10, dropout: 0, denseUnits: 64, name: 'cnn_mnist' },
    'cnnMnist',
  );
}
