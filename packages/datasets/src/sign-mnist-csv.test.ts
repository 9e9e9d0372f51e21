import { describe, expect, it } from 'vitest';
import { firstDifference, signCsv, signPixels } from '../test/fixtures.js';
import { DatasetError } from './errors.js';
import { SIGN_MNIST_LETTERS, signMnistClasses } from './sign-mnist.js';
import { parseSignMnist, parseSignMnistStream, SignMnistCsvParser } from './sign-mnist-csv.js';

const LABELS = [3, 0, 21, 24, 1, 10, 21, 0, 8];

/** Reference parse written plainly (split on commas), to compare the byte-level parser with. */
function naive(text: string) {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.length > 0)
    .slice(1);
  return lines.map((line) => line.split(',').map(Number));
}

describe('parseSignMnist', () => {
  it('maps the 24 letters to 0–23 and carries their names', () => {
    const data = parseSignMnist(signCsv(LABELS));
    expect(data.images.shape).toEqual([LABELS.length, 28, 28]);
    // K (10) comes after I (8) because J (9) is missing: class 9.
    expect(Array.from(data.labels)).toEqual([3, 0, 20, 23, 1, 9, 20, 0, 8]);
    expect(data.classNames).toEqual(SIGN_MNIST_LETTERS);
    expect(data.classNames).toHaveLength(24);
    expect(data.classNames.includes('J') || data.classNames.includes('Z')).toBe(false);
    expect(Array.from(data.images.data.subarray(2 * 784, 3 * 784))).toEqual(signPixels(2));
  });

  it('agrees with a plain split-on-commas parse, value for value', () => {
    const text = signCsv(LABELS);
    const rows = naive(text);
    const data = parseSignMnist(text);
    rows.forEach((row, r) => {
      expect(Array.from(data.images.data.subarray(r * 784, (r + 1) * 784))).toEqual(row.slice(1));
    });
  });

  it("keeps the workshop's rock-paper-scissors subset, remapped in the order given", () => {
    const data = parseSignMnist(signCsv(LABELS), { classes: [0, 1, 21] });
    expect(Array.from(data.labels)).toEqual([0, 2, 1, 2, 0]);
    expect(data.classNames).toEqual(['A', 'B', 'V']);
    expect(data.sourceLabels).toEqual([0, 1, 21]);
    // The kept images are the source rows 1, 2, 4, 6, 7, in order.
    [1, 2, 4, 6, 7].forEach((row, i) => {
      expect(Array.from(data.images.data.subarray(i * 784, (i + 1) * 784))).toEqual(
        signPixels(row),
      );
    });
    const byLetter = parseSignMnist(signCsv(LABELS), { classes: ['v', 'A'] });
    expect(Array.from(byLetter.labels)).toEqual([1, 0, 0, 1]);
    expect(byLetter.classNames).toEqual(['V', 'A']);
  });

  it('gives the same result whatever the chunk boundaries', () => {
    const bytes = new TextEncoder().encode(signCsv(LABELS, { eol: '\r\n' }));
    const whole = parseSignMnist(bytes);
    for (const size of [1, 2, 3, 7, 64, 1000, 4099]) {
      const parser = new SignMnistCsvParser();
      for (let i = 0; i < bytes.length; i += size) parser.push(bytes.subarray(i, i + size));
      const chunked = parser.finish();
      expect(firstDifference(chunked.labels, whole.labels)).toBe(-1);
      expect(firstDifference(chunked.images.data, whole.images.data)).toBe(-1);
    }
  });

  it('accepts CRLF, a missing final newline, blank lines and a byte-order mark', () => {
    const text = `\uFEFF${signCsv(LABELS.slice(0, 3), { eol: '\r\n', trailingNewline: false })}`;
    const data = parseSignMnist(`${text}\r\n\r\n`);
    expect(Array.from(data.labels)).toEqual([3, 0, 20]);
    expect(firstDifference(parseSignMnist(text).labels, data.labels)).toBe(-1);
  });

  it('reads leading zeros: 0255 is 255, 000 is 0, 003 is label 3', () => {
    const pixels = ['0255', '000', '07', ...signPixels(0).slice(3).map(String)];
    const text = signCsv([]) + ['003', ...pixels].join(',');
    const data = parseSignMnist(text);
    expect(Array.from(data.labels)).toEqual([3]);
    expect(Array.from(data.images.data.subarray(0, 3))).toEqual([255, 0, 7]);
  });

  it('takes a CR only as part of a line ending, wherever the chunks split', () => {
    const bytes = new TextEncoder().encode(signCsv([3, 4], { eol: '\r\n' }));
    // Every split point, so that a CR LF falls across chunks somewhere.
    const at = bytes.indexOf(13, bytes.indexOf(10) + 1);
    for (const cut of [at, at + 1]) {
      const parser = new SignMnistCsvParser();
      parser.push(bytes.subarray(0, cut));
      parser.push(new Uint8Array(0));
      parser.push(bytes.subarray(cut));
      expect(Array.from(parser.finish().labels)).toEqual([3, 4]);
    }
    // A CR at the end of a chunk followed by a digit in the next is an error too.
    const bad = new TextEncoder().encode(`${signCsv([3]).trimEnd()}\r1`);
    const parser = new SignMnistCsvParser({ name: 'split.csv' });
    const cr = bad.lastIndexOf(13);
    parser.push(bad.subarray(0, cr + 1));
    expect(() => parser.push(bad.subarray(cr + 1))).toThrow(
      /split\.csv: line 2, column 785 \(pixel784\) holds a carriage return/,
    );
    // A CR that ends the input is a line ending.
    expect(Array.from(parseSignMnist(`${signCsv([3]).trimEnd()}\r`).labels)).toEqual([3]);
  });

  it('grows past its first buffer', () => {
    const labels = Array.from({ length: 2500 }, (_, i) => [0, 1, 21][i % 3]);
    const data = parseSignMnist(signCsv(labels), { classes: [0, 1, 21] });
    expect(data.labels.length).toBe(2500);
    expect(data.images.data.length).toBe(2500 * 784);
    expect(Array.from(data.images.data.subarray(2499 * 784, 2500 * 784))).toEqual(signPixels(2499));
  });

  it('streams from a web ReadableStream and from an async iterable', async () => {
    const bytes = new TextEncoder().encode(signCsv(LABELS));
    const stream = new Blob([bytes]).stream();
    const fromStream = await parseSignMnistStream(stream);
    async function* pieces() {
      for (let i = 0; i < bytes.length; i += 5000) yield bytes.subarray(i, i + 5000);
    }
    const fromIterable = await parseSignMnistStream(pieces());
    expect(firstDifference(fromStream.images.data, parseSignMnist(bytes).images.data)).toBe(-1);
    expect(firstDifference(fromIterable.labels, fromStream.labels)).toBe(-1);
  });
});

describe('parseSignMnist errors name the input, line and column', () => {
  const good = signCsv([0, 1]);
  const lines = good.split('\n');
  const withLine3 = (row: string) => [lines[0], lines[1], row, ''].join('\n');
  const row = (label: string, pixels: string[]) => [label, ...pixels].join(',');
  const pixels = signPixels(0).map(String);

  it.each([
    [
      'a row with too few columns',
      row('1', pixels.slice(1)),
      /f\.csv: line 3 has 784 columns; expected 785/,
    ],
    [
      'a row with too many columns',
      row('1', [...pixels, '0']),
      /line 3, column 786 .*one column too many/,
    ],
    [
      'a fractional pixel',
      row('1', ['12.5', ...pixels.slice(1)]),
      /line 3, column 2 \(pixel1\) holds "\."/,
    ],
    [
      'a pixel above 255',
      row('1', ['7', '256', ...pixels.slice(2)]),
      /line 3, column 3 \(pixel2\) is 256/,
    ],
    [
      'a pixel above 255 with a leading zero',
      row('1', ['0256', ...pixels.slice(1)]),
      /column 2 \(pixel1\) is 256; pixels are integers in 0–255/,
    ],
    [
      'a very long number',
      row('1', ['9'.repeat(40), ...pixels.slice(1)]),
      /column 2 \(pixel1\) is a number far above 255/,
    ],
    [
      'a CR inside a value',
      row('1', ['1\r2', ...pixels.slice(1)]),
      /line 3, column 2 \(pixel1\) holds a carriage return/,
    ],
    [
      'a CR before a comma',
      row('1', ['12\r', ...pixels.slice(1)]),
      /line 3, column 2 \(pixel1\) holds a carriage return/,
    ],
    [
      'a CR inside a label',
      row('1\r1', pixels),
      /line 3, column 1 \(label\) holds a carriage return/,
    ],
    [
      'a CR CR LF ending',
      `${row('1', pixels)}\r\r`,
      /line 3, column 785 \(pixel784\) holds a carriage return/,
    ],
    ['a negative pixel', row('1', ['-1', ...pixels.slice(1)]), /column 2 \(pixel1\) holds "-"/],
    ['an empty pixel', row('1', ['', ...pixels.slice(1)]), /column 2 \(pixel1\) is empty/],
    ['the missing letter J', row('9', pixels), /line 3, column 1 \(label\) is 9: unknown label/],
    ['the missing letter Z', row('25', pixels), /is 25: unknown label/],
    ['a word for a label', row('A', pixels), /column 1 \(label\) holds "A"/],
  ])('rejects %s', (_what, bad, message) => {
    expect(() => parseSignMnist(withLine3(bad), { name: 'f.csv' })).toThrow(DatasetError);
    expect(() => parseSignMnist(withLine3(bad), { name: 'f.csv' })).toThrow(message);
  });

  it('rejects a file without the header, and an empty file', () => {
    expect(() => parseSignMnist(lines.slice(1).join('\n'), { name: 'f.csv' })).toThrow(
      /f\.csv: line 1 should be the header label,pixel1/,
    );
    expect(() => parseSignMnist('', { name: 'f.csv' })).toThrow(/f\.csv: empty file/);
    expect(() => parseSignMnist('label,pixel1\n1,2\n', { name: 'f.csv' })).toThrow(
      /found 2 columns/,
    );
  });

  it('rejects bad classes, naming the option', () => {
    expect(() => signMnistClasses([0, 9])).toThrow(/classes\[1\] is 9/);
    expect(() => signMnistClasses(['Z'])).toThrow(/classes\[0\] is "Z"/);
    expect(() => signMnistClasses([0, 'A'])).toThrow(/listed twice/);
    expect(() => signMnistClasses([1.5])).toThrow(DatasetError);
    // An empty list would keep no row at all.
    expect(() => signMnistClasses([])).toThrow(DatasetError);
    expect(() => signMnistClasses([])).toThrow(/^classes is empty/);
    expect(() => parseSignMnist(good, { classes: [] })).toThrow(/classes is empty/);
  });

  it('takes an ArrayBuffer, and names anything that is not bytes', () => {
    const bytes = new TextEncoder().encode(good);
    expect(Array.from(parseSignMnist(bytes.buffer).labels)).toEqual([0, 1]);
    expect(() => parseSignMnist(42 as unknown as string, { name: 'f.csv' })).toThrow(
      /f\.csv: expected bytes \(a Uint8Array or an ArrayBuffer\), got number/,
    );
    expect(() => new SignMnistCsvParser().push({} as Uint8Array)).toThrow(DatasetError);
  });
});
