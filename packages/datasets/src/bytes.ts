import { DatasetError } from './errors.js';

/** Binary input the parsers take: a Uint8Array (a Node Buffer is one) or an ArrayBuffer. */
export type Bytes = Uint8Array | ArrayBuffer;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'an object';
}

/**
 * The input as a Uint8Array without copying: Uint8Array as is, an ArrayBuffer (or a DataView)
 * wrapped. Anything else is a DatasetError naming `name`, not a TypeError deep inside a parser.
 */
export function asBytes(input: unknown, name: string): Uint8Array {
  if (input instanceof Uint8Array) return input;
  // The tag, not instanceof, so that buffers from another realm (a worker, an iframe) pass too.
  const tag = Object.prototype.toString.call(input);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') {
    return new Uint8Array(input as ArrayBuffer);
  }
  if (tag === '[object Uint8Array]' || tag === '[object DataView]') {
    const view = input as ArrayBufferView;
    return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  }
  throw new DatasetError(
    `${name}: expected bytes (a Uint8Array or an ArrayBuffer), got ${describe(input)}`,
    { source: name },
  );
}
