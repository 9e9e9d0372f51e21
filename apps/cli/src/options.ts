// The parsers and options several commands share: one place for what a flag accepts, so that
// `--seed` or `--backend` reads the same everywhere. A command's own options live beside its code.
import { NODE_CANDIDATES } from '@cnnlab/backend/node';
import { Option } from 'commander';
import { DATASETS } from './data.js';
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

/** `--validation-split <f>`: the fraction of a pictures folder held out for testing, in (0, 1). */
export function parseValidationSplit(text: string): number {
  const value = parseDecimal(text, '--validation-split', {
    min: 0,
    below: 1,
    unit: 'the fraction of the pictures held out for testing',
  });
  if (value === 0) {
    throw usageError('--validation-split must be more than 0: some pictures are needed to test on');
  }
  return value;
}

/** Comma-separated labels to keep (`0,1,21`): plain digits, no repeats, at least two. */
export function parseClasses(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((s) => s.trim());
  const classes = parts.map(Number);
  // Plain digits: Number would also take '0x2', '1e1' and ''.
  if (parts.some((p) => !/^\d{1,3}$/.test(p))) {
    throw usageError(`--classes expects comma-separated labels such as 0,1,21, got '${value}'`);
  }
  if (new Set(classes).size !== classes.length) {
    throw usageError(`--classes lists a label twice: '${value}'`);
  }
  if (classes.length < 2) {
    throw usageError(`--classes needs at least two labels to tell apart, got '${value}'`);
  }
  return classes;
}

// The ranges of the shared numeric flags: a value outside one is a usage error that states it.
export const POSITIVE = { min: 1 };
export const SEED = { min: 0, max: 2 ** 32 - 1 };
/** VGG16's five 2×2 poolings need a side of at least 32 pixels; 512 keeps its head in memory. */
export const IMAGE_SIZE = { min: 32, max: 512, unit: 'pixels; VGG16 needs at least 32' };

/** The ids initBackend knows, fastest first. */
export const BACKENDS = NODE_CANDIDATES.map((c) => c.id);

/** `--backend <id>`: handed to initBackend as the one to use, or an error saying why not. */
export function backendOption(description = 'force a backend'): Option {
  return new Option('--backend <id>', description).choices(BACKENDS);
}

/** `--dataset <name>`, one of the data sets the CLI loads. */
export function datasetOption(description = 'data set', fallback?: string): Option {
  const option = new Option('--dataset <name>', description).choices(DATASETS);
  return fallback === undefined ? option : option.default(fallback);
}

/** `--seed <n>`, a 32-bit unsigned seed. */
export function seedOption(description: string, fallback?: number): Option {
  const option = new Option('--seed <n>', description).argParser(whole('--seed', SEED));
  return fallback === undefined ? option : option.default(fallback);
}

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
