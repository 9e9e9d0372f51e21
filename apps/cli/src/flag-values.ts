import { usageError } from './errors.js';

// Plain decimal notation only: no hex (0x2), no blanks ("1 "), no exponent for whole numbers (1e1).
const WHOLE = /^-?\d+$/;
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** The values a numeric flag accepts: from `min` to `max`, or up to but not including `below`. */
export interface NumberRange {
  min: number;
  max?: number;
  below?: number;
  /** What the number is, for the message: "degrees", "a fraction of the width". */
  unit?: string;
}

function describe(kind: string, range: NumberRange): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const upper =
    range.below !== undefined
      ? ` up to (not including) ${n(range.below)}`
      : range.max !== undefined
        ? ` to ${n(range.max)}`
        : ' or more';
  const from = range.max === undefined && range.below === undefined ? ' of ' : ' from ';
  return `${kind}${from}${n(range.min)}${upper}${range.unit ? ` (${range.unit})` : ''}`;
}

function inRange(value: number, range: NumberRange): boolean {
  if (value < range.min) return false;
  if (range.max !== undefined && value > range.max) return false;
  return range.below === undefined || value < range.below;
}

/** A flag's whole number in plain decimal digits, within `range`; else a usage error naming it. */
export function parseWhole(text: string, flag: string, range: NumberRange): number {
  const value = Number(text);
  if (!WHOLE.test(text) || !Number.isSafeInteger(value) || !inRange(value, range)) {
    throw usageError(`${flag} expects ${describe('a whole number', range)}, got '${text}'`);
  }
  return value;
}

/** A flag's number in decimal notation (an exponent allowed: 1e-3), within `range`. */
export function parseDecimal(text: string, flag: string, range: NumberRange): number {
  const value = Number(text);
  if (!DECIMAL.test(text) || !Number.isFinite(value) || !inRange(value, range)) {
    throw usageError(`${flag} expects ${describe('a number', range)}, got '${text}'`);
  }
  return value;
}

/** Commander's parser for a whole-number flag. */
export function whole(flag: string, range: NumberRange): (text: string) => number {
  return (text) => parseWhole(text, flag, range);
}

/** Commander's parser for a path: '' would mean the current folder, which nobody means. */
export function path(flag: string): (text: string) => string {
  return (text) => {
    if (text.trim() === '') throw usageError(`${flag} expects a path, got '${text}'`);
    return text;
  };
}
