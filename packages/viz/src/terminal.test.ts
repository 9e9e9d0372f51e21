import { describe, expect, it } from 'vitest';
import { terminalPreview } from './terminal.js';

// A 3×2 RGB image: rows red green / blue white / black grey.
const image = {
  data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 128, 128]),
  shape: [3, 2, 3],
};

describe('terminalPreview', () => {
  it('draws two pixel rows per text row with 24-bit colour half blocks', () => {
    expect(terminalPreview(image)).toBe(
      '\x1b[38;2;255;0;0m\x1b[48;2;0;0;255m▀' +
        '\x1b[38;2;0;255;0m\x1b[48;2;255;255;255m▀\x1b[0m\n' +
        '\x1b[38;2;0;0;0m\x1b[49m▀' +
        '\x1b[38;2;128;128;128m\x1b[49m▀\x1b[0m',
    );
  });

  it('falls back to greyscale characters without colour', () => {
    // Mean rounded luminance of each column's two rows, index floor(v / 25.6) into
    // ' .:-=+*#%@': (76 + 29) / 2 → ':', (150 + 255) / 2 → '#', 0 → ' ', 128 → '+'.
    expect(terminalPreview(image, { color: false })).toBe(':#\n +');
  });

  it('resamples to the requested width', () => {
    const grey = { data: new Uint8Array([0, 0, 255, 255, 0, 0, 255, 255]), shape: [2, 4] };
    expect(terminalPreview(grey, { color: false, width: 2 })).toBe(' @');
  });
});
