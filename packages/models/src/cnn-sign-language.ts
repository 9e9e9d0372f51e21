import type * as tfl from '@tensorflow/tfjs-layers';
import { type WorkshopCnnOptions, workshopCnn } from './workshop-cnn.js';

export type CnnSignLanguageOptions = WorkshopCnnOptions;

/**
 * A CNN for Sign Language MNIST, uncompiled: the workshop's convolutional stack with a wider
 * head (Dense 128 relu, Dropout 0.5), since the hand shapes are harder to tell apart than
 * digits. `classes`: 24 (every static letter, the default) or 3 (rock, paper, scissors).
 */
export function cnnSignLanguage(options: CnnSignLanguageOptions = {}): tfl.LayersModel {
  return workshopCnn(
    options,
    { classes: 24, dropout: 0.5, denseUnits: 128, name: 'cnn_sign_language' },
    'cnnSignLanguage',
  );
}
