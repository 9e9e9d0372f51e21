import { AugmentError } from './errors.js';

/**
 * What lies beyond the edge, as scipy.ndimage (which Keras calls) defines it for order-1
 * interpolation: 'nearest' repeats the edge, 'constant' is cval, 'reflect' mirrors with the edge
 * repeated, 'wrap' is scipy's wrap, whose period is n − 1 (first and last samples overlap).
 */
export type FillMode = 'nearest' | 'constant' | 'reflect' | 'wrap';

export const FILL_MODES: readonly FillMode[] = ['nearest', 'constant', 'reflect', 'wrap'];

export function checkFillMode(mode: string): FillMode {
  if (!(FILL_MODES as readonly string[]).includes(mode)) {
    throw new AugmentError(
      `fillMode is ${JSON.stringify(mode)}; expected 'nearest', 'constant', 'reflect' or 'wrap'`,
      'fillMode',
    );
  }
  return mode as FillMode;
}
