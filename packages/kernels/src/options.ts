import { KernelError } from './errors.js';

/** Output size rules of scipy.signal's 2-D functions. */
export type Mode = 'full' | 'same' | 'valid';

export function checkMode(mode: string): Mode {
  if (mode !== 'full' && mode !== 'same' && mode !== 'valid') {
    throw new KernelError(
      `mode is ${JSON.stringify(mode)}; expected 'full', 'same' or 'valid'`,
      'mode',
    );
  }
  return mode;
}

export function checkMethod(method: string): 'auto' | 'direct' | 'separable' {
  if (method !== 'auto' && method !== 'direct' && method !== 'separable') {
    throw new KernelError(
      `method is ${JSON.stringify(method)}; expected 'auto', 'direct' or 'separable'`,
      'method',
    );
  }
  return method;
}

/** A number or a [rows, cols] pair of positive integers, as Keras takes strides and sizes. */
export function pairOf(value: number | readonly number[], name: string): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : [...value];
  if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new KernelError(
      `${name} is ${JSON.stringify(value)}; expected a positive integer or a pair of them (>= 1)`,
      name,
    );
  }
  return pair as [number, number];
}
