import { DatasetError } from './errors.js';
import { concatBytes } from './gzip.js';
import { describeIdxHeader, type IdxHeader, idxLengthError, readIdxHeader } from './idx-header.js';

// The longest IDX header: the magic number and 255 dimensions.
const MAX_HEADER = 4 + 4 * 255;

/**
 * Gathers the bytes of an IDX file as they arrive (from an inflating gzip stream, say) and refuses
 * them as soon as there are more than the header declares, so a small file that inflates to
 * gigabytes costs one chunk beyond its declared length, not the gigabytes. Memory is what has
 * arrived, never more than the declared length plus one chunk; nothing is allocated from the
 * header's word alone.
 */
export class IdxCollector {
  readonly name: string;
  private chunks: Uint8Array[] = [];
  private length = 0;
  private header: IdxHeader | undefined;

  /** `name` is used in error messages (a file name or URL). */
  constructor(name: string) {
    this.name = name;
  }

  /** The header, once enough bytes have arrived to read it. */
  get declared(): IdxHeader | undefined {
    return this.header;
  }

  /** Takes the next chunk; throws a DatasetError once the bytes outgrow the declared length. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
    if (this.header === undefined) {
      const head = concatBytes(this.chunks).subarray(0, MAX_HEADER);
      this.header = readIdxHeader(head, this.name, false);
    }
    if (this.header !== undefined && this.length > this.header.byteLength) {
      throw new DatasetError(
        `${this.name}: the data is longer than its header declares (${describeIdxHeader(this.header)}; stopped reading at ${this.length})`,
        { source: this.name },
      );
    }
  }

  /** Ends the input: the whole file as one array, or a DatasetError if it is short. */
  finish(): Uint8Array {
    const bytes = concatBytes(this.chunks);
    this.chunks = [bytes];
    const header = this.header ?? (readIdxHeader(bytes, this.name, true) as IdxHeader);
    const error = idxLengthError(header, bytes.length, this.name);
    if (error) throw error;
    return bytes;
  }
}
