import { type ByteStream, chunksOf } from './byte-stream.js';
import { asBytes, type Bytes } from './bytes.js';
import { DatasetError } from './errors.js';
import {
  SIGN_MNIST_MAX_BYTES,
  type SignMnistData,
  type SignMnistOptions,
  signMnistClasses,
} from './sign-mnist.js';

const PIXELS = 784;
const COLUMNS = PIXELS + 1;
const NEWLINE = 10;
const COMMA = 44;
const CR = 13;
// The shortest row: 785 one-digit values, 784 commas and a line feed.
const MIN_ROW_BYTES = 2 * COLUMNS;

/** The maxBytes option, checked: a positive number (Infinity for no limit). */
function maxBytesOf(options: SignMnistOptions): number {
  const value = options.maxBytes ?? SIGN_MNIST_MAX_BYTES;
  if (typeof value !== 'number' || !(value > 0)) {
    throw new DatasetError(
      `maxBytes is ${JSON.stringify(value)}; expected a positive number of bytes (default ${SIGN_MNIST_MAX_BYTES})`,
      { source: 'maxBytes' },
    );
  }
  return value;
}

/**
 * Incremental parser of the Kaggle Sign Language MNIST CSV (`label,pixel1,…,pixel784`). Feed it
 * chunks of bytes in any sizes with `push`, then call `finish`. It checks every row as it goes and
 * throws a DatasetError naming the line and column of the first bad value.
 */
export class SignMnistCsvParser {
  /** Name used in error messages. */
  readonly name: string;
  private readonly mapping: ReturnType<typeof signMnistClasses>;
  private readonly maxBytes: number;
  // Rows that fit in maxBytes: the arrays never grow past this.
  private readonly maxRows: number;
  private bytes = 0;
  private images: Uint8Array;
  private labels: Uint8Array;
  private rows = 0;
  private header: number[] | null = [];
  private line = 1;
  private field = 0;
  private value = 0;
  private digits = 0;
  private keep = -1;
  private lineHasContent = false;
  // The previous chunk ended in a CR, so the next byte must be the LF.
  private crPending = false;

  constructor(options: SignMnistOptions = {}) {
    this.name = options.name ?? 'Sign-MNIST CSV';
    this.mapping = signMnistClasses(options.classes);
    this.maxBytes = maxBytesOf(options);
    this.maxRows = Math.floor(Math.min(this.maxBytes, 2 ** 40) / MIN_ROW_BYTES) + 1;
    const rows = Math.min(1024, this.maxRows);
    this.labels = new Uint8Array(rows);
    this.images = new Uint8Array(rows * PIXELS);
  }

  /** Parses the next chunk. Rows may span chunks. */
  push(input: Bytes): void {
    const chunk = input instanceof Uint8Array ? input : asBytes(input, this.name);
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      throw new DatasetError(
        `${this.name}: is longer than ${this.maxBytes} bytes of CSV text (maxBytes); expected a Sign-MNIST CSV within that limit`,
        { source: this.name },
      );
    }
    this.parse(chunk);
  }

  private parse(chunk: Uint8Array): void {
    let start = 0;
    if (this.header !== null) {
      start = this.readHeader(chunk);
      if (this.header !== null) return;
    }
    if (this.crPending && start < chunk.length) {
      this.crPending = false;
      if (chunk[start] !== NEWLINE) this.failCr(this.field);
    }
    // Hot loop: the state lives in locals and is written back once per chunk.
    let { field, value, digits, keep, lineHasContent } = this;
    let base = this.rows * PIXELS;
    const map = this.mapping.map;
    for (let i = start; i < chunk.length; i++) {
      const c = chunk[i];
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        value = value * 10 + d;
        digits++;
        lineHasContent = true;
        continue;
      }
      if (c === COMMA || c === NEWLINE) {
        if (c === NEWLINE && !lineHasContent) {
          this.line++;
          continue;
        }
        if (digits === 0) this.fail(field, 'is empty');
        if (field === 0) {
          if (value > 24 || value === 9) {
            this.fail(
              0,
              `is ${shown(value)}: unknown label; Sign-MNIST labels are 0–24 without 9 (J)`,
            );
          }
          keep = map[value];
          if (keep >= 0 && this.rows === this.labels.length) this.grow();
          base = this.rows * PIXELS;
        } else if (field <= PIXELS) {
          // Leading zeros are fine (0255 is 255); the value alone decides.
          if (value > 255) this.fail(field, `is ${shown(value)}; pixels are integers in 0–255`);
          if (keep >= 0) this.images[base + field - 1] = value;
        } else {
          this.fail(field, `is one column too many; expected ${COLUMNS} columns`);
        }
        field++;
        value = 0;
        digits = 0;
        if (c === NEWLINE) {
          if (field !== COLUMNS) this.failRow(field);
          if (keep >= 0) this.labels[this.rows++] = keep;
          field = 0;
          keep = -1;
          lineHasContent = false;
          this.line++;
        }
        continue;
      }
      if (c === CR) {
        // Only a line ending: CR LF, or a CR that ends the input (checked by finish).
        if (i + 1 === chunk.length) this.crPending = true;
        else if (chunk[i + 1] !== NEWLINE) this.failCr(field);
        continue;
      }
      this.fail(field, `holds ${JSON.stringify(String.fromCharCode(c))}; expected an integer`);
    }
    this.field = field;
    this.value = value;
    this.digits = digits;
    this.keep = keep;
    this.lineHasContent = lineHasContent;
  }

  /** Ends the input (a last line without a newline counts) and returns what was parsed. */
  finish(): SignMnistData {
    if (this.header !== null) {
      if (this.header.length === 0) {
        throw new DatasetError(
          `${this.name}: empty file; expected a header label,pixel1,…,pixel784`,
          {
            source: this.name,
          },
        );
      }
      this.readHeader(new Uint8Array([NEWLINE]));
    }
    this.crPending = false;
    if (this.lineHasContent) this.parse(new Uint8Array([NEWLINE]));
    const n = this.rows;
    return {
      images: { data: this.images.slice(0, n * PIXELS), shape: [n, 28, 28] },
      labels: this.labels.slice(0, n),
      classNames: this.mapping.classNames,
      sourceLabels: this.mapping.sourceLabels,
    };
  }

  private readHeader(chunk: Uint8Array): number {
    const header = this.header as number[];
    const end = chunk.indexOf(NEWLINE);
    const stop = end === -1 ? chunk.length : end;
    for (let i = 0; i < stop; i++) header.push(chunk[i]);
    if (header.length > 64 * 1024) {
      throw new DatasetError(
        `${this.name}: line 1 is not a Sign-MNIST header (no line break in 64 KiB)`,
        {
          source: this.name,
        },
      );
    }
    if (end === -1) return chunk.length;
    const text = new TextDecoder()
      .decode(new Uint8Array(header))
      .replace(/\r$/, '')
      .replace(/^\uFEFF/, '');
    const names = text.split(',');
    if (names[0].trim().toLowerCase() !== 'label' || names.length !== COLUMNS) {
      throw new DatasetError(
        `${this.name}: line 1 should be the header label,pixel1,…,pixel784 (${COLUMNS} columns); found ${names.length} columns starting ${JSON.stringify(text.slice(0, 40))}`,
        { source: this.name },
      );
    }
    this.header = null;
    this.line = 2;
    return end + 1;
  }

  private grow(): void {
    const size = Math.max(this.rows + 1, Math.min(this.labels.length * 2, this.maxRows));
    const labels = new Uint8Array(size);
    labels.set(this.labels);
    const images = new Uint8Array(labels.length * PIXELS);
    images.set(this.images);
    this.labels = labels;
    this.images = images;
  }

  private fail(field: number, what: string): never {
    const column = field === 0 ? 'label' : `pixel${field}`;
    throw new DatasetError(
      `${this.name}: line ${this.line}, column ${field + 1} (${column}) ${what}`,
      {
        source: this.name,
      },
    );
  }

  private failCr(field: number): never {
    this.fail(field, 'holds a carriage return (\\r) that is not followed by a line feed (\\n)');
  }

  private failRow(fields: number): never {
    throw new DatasetError(
      `${this.name}: line ${this.line} has ${fields} columns; expected ${COLUMNS} (label and 784 pixels)`,
      { source: this.name },
    );
  }
}

/** A number for an error message; a run of digits too long for a double is not printed. */
function shown(value: number): string {
  return value <= Number.MAX_SAFE_INTEGER ? String(value) : 'a number far above 255';
}

/** Parses a whole Sign-MNIST CSV held in memory (bytes or text). */
export function parseSignMnist(
  input: Bytes | string,
  options: SignMnistOptions = {},
): SignMnistData {
  const parser = new SignMnistCsvParser(options);
  parser.push(
    typeof input === 'string' ? new TextEncoder().encode(input) : asBytes(input, parser.name),
  );
  return parser.finish();
}

/** Parses a Sign-MNIST CSV as it streams in: a web ReadableStream or any async iterable of bytes. */
export async function parseSignMnistStream(
  input: ByteStream,
  options: SignMnistOptions = {},
): Promise<SignMnistData> {
  const parser = new SignMnistCsvParser(options);
  for await (const chunk of chunksOf(input, parser.name)) parser.push(chunk);
  return parser.finish();
}
