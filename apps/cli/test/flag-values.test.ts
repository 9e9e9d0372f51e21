import { describe, expect, it } from 'vitest';
import { CliError, EXIT_USAGE } from '../src/errors.js';
import { parseAugment, parseDecimal, parseWhole, path } from '../src/options.js';

function usage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT_USAGE);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('flag values', () => {
  it('take whole numbers as plain digits only, within their range', () => {
    const range = { min: 1, max: 100 };
    expect(parseWhole('42', '--n', range)).toBe(42);
    expect(parseWhole('007', '--n', range)).toBe(7);
    for (const text of ['0x2', '1 ', ' 1', '1e1', '', 'NaN', 'Infinity', '2.5', '+3', '0', '101']) {
      expect(usage(() => parseWhole(text, '--n', range))).toBe(
        `--n expects a whole number from 1 to 100, got '${text}'`,
      );
    }
    expect(usage(() => parseWhole('9007199254740993', '--n', { min: 0 }))).toBe(
      "--n expects a whole number of 0 or more, got '9007199254740993'",
    );
  });

  it('take other numbers in decimal notation, an exponent allowed', () => {
    const range = { min: 0, below: 1, unit: 'a fraction' };
    expect(parseDecimal('0.25', '--f', range)).toBe(0.25);
    expect(parseDecimal('.5', '--f', range)).toBe(0.5);
    expect(parseDecimal('5e-1', '--f', range)).toBe(0.5);
    for (const text of ['1', '0x0', '', ' 0.1', 'NaN', '-Infinity', '1e308']) {
      expect(usage(() => parseDecimal(text, '--f', range))).toBe(
        `--f expects a number from 0 up to (not including) 1 (a fraction), got '${text}'`,
      );
    }
  });

  it('refuse an empty path', () => {
    expect(path('--out')('models/cnn')).toBe('models/cnn');
    expect(usage(() => path('--out')(''))).toBe("--out expects a path, got ''");
    expect(usage(() => path('--out')('  '))).toBe("--out expects a path, got '  '");
  });

  it('--augment takes its keys within their ranges', () => {
    expect(parseAugment('rotation=40, width=0.2,height=0.1,shear=10,zoom=0.1')).toEqual({
      rotationRange: 40,
      widthShiftRange: 0.2,
      heightShiftRange: 0.1,
      shearRange: 10,
      zoomRange: 0.1,
    });
    expect(usage(() => parseAugment('rotation=1e308'))).toBe(
      "--augment rotation expects a number from 0 to 360 (degrees), got '1e308'",
    );
    expect(usage(() => parseAugment('zoom=1'))).toMatch(
      /^--augment zoom expects a number from 0 up to \(not including\) 1/,
    );
    expect(usage(() => parseAugment('spin=3'))).toMatch(/^--augment expects key=value pairs/);
    expect(usage(() => parseAugment('rotation'))).toMatch(/^--augment expects key=value pairs/);
    expect(usage(() => parseAugment('rotation=1=2'))).toMatch(/^--augment expects key=value pairs/);
  });
});
