import { usageError } from './errors.js';
import { type NumberRange, parseDecimal } from './flag-values.js';

/**
 * The augmentations the CLI offers, with the generator option each sets and the values that make
 * sense: larger ones (rotation=1e308) only turn the pictures, and then the loss, into NaN.
 */
export const AUGMENTATIONS = {
  rotation: { option: 'rotationRange', min: 0, max: 360, unit: 'degrees' },
  width: { option: 'widthShiftRange', min: 0, below: 1, unit: 'a fraction of the width' },
  height: { option: 'heightShiftRange', min: 0, below: 1, unit: 'a fraction of the height' },
  shear: { option: 'shearRange', min: 0, below: 90, unit: 'degrees' },
  zoom: { option: 'zoomRange', min: 0, below: 1, unit: 'zooms from 1 − z to 1 + z' },
} as const satisfies Record<string, NumberRange & { option: string }>;

export type AugmentationName = keyof typeof AUGMENTATIONS;

/** One augmentation's value from a flag (`--rotation 40`), checked against its range. */
export function augmentationValue(name: AugmentationName, flag: string): (text: string) => number {
  return (text) => parseDecimal(text, flag, AUGMENTATIONS[name]);
}

/** Parses `rotation=40,width=0.2,height=0.2` into the generator's Keras-named options. */
export function parseAugment(value: string): Record<string, number> {
  const options: Record<string, number> = {};
  for (const part of value.split(',')) {
    const [key = '', raw, ...rest] = part.split('=');
    const name = key.trim() as AugmentationName;
    if (!Object.hasOwn(AUGMENTATIONS, name) || raw === undefined || rest.length > 0) {
      throw usageError(
        `--augment expects key=value pairs with keys ${Object.keys(AUGMENTATIONS).join(', ')}, got '${part}'`,
      );
    }
    options[AUGMENTATIONS[name].option] = parseDecimal(
      raw,
      `--augment ${name}`,
      AUGMENTATIONS[name],
    );
  }
  return options;
}
