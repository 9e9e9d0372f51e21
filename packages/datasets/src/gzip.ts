import { type FlateError, FlateErrorCode, Gunzip } from 'fflate';
import { crc32 } from './crc32.js';
import { DatasetError } from './errors.js';

/** True when the bytes start with the gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

const EMPTY = new Uint8Array(0);
// Input is given to fflate in pieces. fflate inflates a whole piece into one buffer it grows by
// doubling, so the piece bounds what one step costs; deflate expands up to 1032 times. The piece
// follows the expansion seen so far, aiming at STEP bytes of output: 64 KiB of ordinary data
// (MNIST expands about 5 times; such pieces are also faster than big ones), 1 KiB of a
// decompression bomb. The first piece is small, before anything is known.
const FIRST_PIECE = 1 << 10;
const MIN_PIECE = 1 << 10;
const MAX_PIECE = 1 << 16;
const STEP = 1 << 20;
// How much recent input is kept to read a member's trailer back. fflate reports a member's end
// only once the next member's header is read, a few bytes later in practice.
const KEEP = 1 << 16;

/**
 * Streaming gzip decoder that follows Node's zlib, which the Node loaders use, so that both paths
 * accept the same files: several concatenated members (as `cat a.gz b.gz` makes), a zero byte
 * after a member ending the stream (zero padding; zlib ignores whatever follows it), and each
 * member's CRC-32 and length checked against its trailer. fflate's `Gunzip` does the inflating;
 * it reads multiple members but neither checks trailers nor stops at padding, hence the
 * bookkeeping here.
 *
 * `push` and `finish` return the inflated chunks, so that an error thrown by whoever consumes
 * them is never mistaken for a corrupt stream.
 */
export class GzipDecoder {
  private readonly name: string;
  private readonly gunzip: Gunzip;
  private out: Uint8Array[] = [];
  // Input bytes given to fflate so far; fflate's member offsets count the same bytes.
  private pushed = 0;
  // Recent input, to read trailers back: pieces[head..] start at absolute offset keptFrom.
  private pieces: Uint8Array[] = [];
  private head = 0;
  private keptFrom = 0;
  private kept = 0;
  // Number, CRC-32 and length so far of the member being inflated.
  private member = 1;
  private crc = 0;
  private size = 0;
  // Output bytes of all members so far, to size the input pieces.
  private produced = 0;
  // Set once a zero byte has followed a member: the rest of the input is ignored.
  private ended = false;
  private finished = false;

  constructor(name = 'gzip input') {
    this.name = name;
    this.gunzip = new Gunzip((chunk) => {
      if (chunk.length === 0) return;
      this.crc = crc32(chunk, this.crc);
      this.size += chunk.length;
      this.produced += chunk.length;
      this.out.push(chunk);
    });
    this.gunzip.onmember = (offset) => {
      if (!this.trailerMatches(offset)) throw this.mismatch();
      this.member++;
      this.crc = 0;
      this.size = 0;
      for (let i = 0; i < 4; i++) this.checkHeader(i, this.byteAt(offset + i));
    };
  }

  /** Inflates the next piece of input; returns what it decoded so far. */
  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const piece of this.inflate(chunk)) out.push(piece);
    return out;
  }

  /**
   * Inflates the next piece of input a little at a time (16 KiB of input per step), yielding the
   * output of each step. A consumer that stops iterating (its size limit is reached) leaves the
   * rest of the input uninflated, so a decompression bomb costs at most one step's output.
   */
  *inflate(chunk: Uint8Array): Generator<Uint8Array, void, undefined> {
    if (this.finished) {
      throw new DatasetError(`${this.name}: gzip input pushed after its end`, {
        source: this.name,
      });
    }
    for (let at = 0; at < chunk.length && !this.ended; ) {
      const piece = this.pieceSize();
      this.feed(chunk.subarray(at, at + piece), false);
      at += piece;
      yield* this.take();
    }
  }

  /** Ends the input: checks that the last member is complete and returns the remaining data. */
  finish(): Uint8Array[] {
    if (this.finished) return [];
    this.finished = true;
    if (!this.ended) this.feed(EMPTY, true);
    // fflate passes a last member without its trailer, or with a few bytes after it, silently.
    if (!this.ended) this.endLastMember();
    return this.take();
  }

  private feed(piece: Uint8Array, final: boolean): void {
    for (let i = this.pushed; i < 4 && i - this.pushed < piece.length; i++) {
      this.checkHeader(i, piece[i - this.pushed]);
    }
    if (piece.length > 0) this.remember(piece);
    this.pushed += piece.length;
    try {
      this.gunzip.push(piece, final);
    } catch (cause) {
      if (cause instanceof DatasetError) throw cause;
      // A member has ended and what follows is no gzip header (the first header is checked above).
      if ((cause as FlateError).code === FlateErrorCode.InvalidHeader) this.endLastMember();
      else throw this.corrupt((cause as Error).message, cause);
    }
  }

  /** zlib's checks of a member's first four bytes, which fflate leaves out in part. */
  private checkHeader(index: number, value: number): void {
    const ok =
      index === 0
        ? value === 0x1f
        : index === 1
          ? value === 0x8b
          : index === 2
            ? value === 8
            : (value & 0xe0) === 0;
    if (!ok) {
      const what = [
        'magic number',
        'magic number',
        'compression method (only 8, deflate, exists)',
        'flags (reserved bits set)',
      ][index];
      throw this.corrupt(`member ${this.member} has a wrong ${what}`);
    }
  }

  /**
   * The last member is complete: find its end by its trailer, then apply zlib's rule to what
   * follows, which must be nothing or start with a zero byte.
   */
  private endLastMember(): void {
    let end = this.pushed;
    while (end - 8 >= this.keptFrom && !this.trailerMatches(end)) end--;
    if (end - 8 < this.keptFrom) throw this.mismatch();
    if (end < this.pushed && this.byteAt(end) !== 0) {
      throw this.corrupt(`member ${this.member} is followed by data that is not a gzip member`);
    }
    this.ended = true;
  }

  /** Input for the next step: about STEP bytes of output at the expansion seen so far. */
  private pieceSize(): number {
    if (this.pushed === 0 || this.produced === 0) return FIRST_PIECE;
    const ratio = Math.max(1, this.produced / this.pushed);
    return Math.min(MAX_PIECE, Math.max(MIN_PIECE, Math.floor(STEP / ratio)));
  }

  private take(): Uint8Array[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private remember(piece: Uint8Array): void {
    this.pieces.push(piece);
    this.kept += piece.length;
    while (this.kept - this.pieces[this.head].length >= KEEP) {
      this.kept -= this.pieces[this.head].length;
      this.keptFrom += this.pieces[this.head].length;
      this.head++;
    }
    if (this.head > 64 && this.head * 2 > this.pieces.length) {
      this.pieces = this.pieces.slice(this.head);
      this.head = 0;
    }
  }

  /** Input byte at an absolute offset, or -1 when it is no longer (or not yet) kept. */
  private byteAt(offset: number): number {
    if (offset < this.keptFrom || offset >= this.pushed) return -1;
    let at = this.keptFrom;
    for (let i = this.head; i < this.pieces.length; i++) {
      const piece = this.pieces[i];
      if (offset < at + piece.length) return piece[offset - at];
      at += piece.length;
    }
    return -1;
  }

  /** Whether the 8 bytes before `end` are the current member's trailer: CRC-32, length mod 2^32. */
  private trailerMatches(end: number): boolean {
    const size = this.size % 0x100000000;
    for (let k = 0; k < 4; k++) {
      if (this.byteAt(end - 8 + k) !== (this.crc >>> (8 * k)) % 256) return false;
      if (this.byteAt(end - 4 + k) !== (size >>> (8 * k)) % 256) return false;
    }
    return true;
  }

  private mismatch(): DatasetError {
    return this.corrupt(
      `member ${this.member} is cut short or does not match its trailer (CRC-32 and length)`,
    );
  }

  private corrupt(why: string, cause?: unknown): DatasetError {
    return new DatasetError(
      `${this.name}: starts like gzip but does not inflate (truncated or corrupt gzip stream: ${why})`,
      { source: this.name, cause },
    );
  }
}

/** Joins chunks into one array; a single chunk is returned as is. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export interface GunzipOptions {
  /**
   * The most bytes the inflated data may have; more is a DatasetError, raised as soon as the
   * output passes it (the rest of the input is never inflated). Default: no limit.
   */
  maxBytes?: number;
}

/**
 * Inflates gzip bytes; raw bytes pass through untouched (and are not held to `maxBytes`). fflate
 * keeps this usable in the browser; the Node loaders inflate files with zlib, which accepts
 * exactly the same streams.
 */
export function maybeGunzip(
  bytes: Uint8Array,
  name = 'input',
  options: GunzipOptions = {},
): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  const limit = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const decoder = new GzipDecoder(name);
  const chunks: Uint8Array[] = [];
  let length = 0;
  const keep = (chunk: Uint8Array) => {
    length += chunk.length;
    if (length > limit) {
      throw new DatasetError(
        `${name}: inflates to more than ${limit} bytes (maxBytes); expected at most that much data`,
        { source: name },
      );
    }
    chunks.push(chunk);
  };
  for (const chunk of decoder.inflate(bytes)) keep(chunk);
  for (const chunk of decoder.finish()) keep(chunk);
  return concatBytes(chunks);
}
