import { ModelError } from './errors.js';

const show = (value: unknown): string =>
  Array.isArray(value) ? `[${value.join(', ')}]` : (JSON.stringify(value) ?? String(value));

/** A whole number ≥ min, or a ModelError naming the argument. */
export function checkInteger(value: unknown, argument: string, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ModelError(`${argument} is ${show(value)}; expected an integer ≥ ${min}`, {
      source: argument,
    });
  }
  return value;
}

/** Keras builders need at least two classes for a softmax to mean anything. */
export function checkClasses(value: unknown, argument = 'classes'): number {
  return checkInteger(value, argument, 2);
}

/** A dropout rate in [0, 1). */
export function checkRate(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new ModelError(`${argument} is ${show(value)}; expected a rate in [0, 1)`, {
      source: argument,
    });
  }
  return value;
}

/** A shape of positive integers without the batch dimension, of one of the given ranks. */
export function checkShape(value: unknown, argument: string, ranks: readonly number[]): number[] {
  const ok =
    Array.isArray(value) &&
    ranks.includes(value.length) &&
    value.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1);
  if (!ok) {
    const expected = ranks.map((r) =>
      r === 1 ? '[features]' : r === 2 ? '[h, w]' : '[h, w, channels]',
    );
    throw new ModelError(
      `${argument} is ${show(value)}; expected ${expected.join(' or ')} of positive integers (no batch dimension)`,
      { source: argument },
    );
  }
  return [...(value as number[])];
}
