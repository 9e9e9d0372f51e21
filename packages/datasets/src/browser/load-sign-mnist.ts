import { type ByteStream, inflateIfGzip } from '../byte-stream.js';
import { asBytes } from '../bytes.js';
import { maybeGunzip } from '../gzip.js';
import type { SignMnistData, SignMnistOptions } from '../sign-mnist.js';
import { parseSignMnist, parseSignMnistStream } from '../sign-mnist-csv.js';
import { fetchBytes } from './fetch-bytes.js';

/**
 * What the browser loader reads: a URL, an uploaded File or Blob, a stream (a web ReadableStream or
 * any async iterable of bytes), or bytes in memory.
 * Any of them may be gzipped: that is told by the magic bytes, not by the name.
 */
export type SignMnistInput =
  | string
  | URL
  | Blob
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | Uint8Array
  | ArrayBuffer;

// By shape rather than instanceof, so that a polyfilled or another realm's stream is accepted.
function isByteStream(input: unknown): input is ByteStream {
  if (typeof input !== 'object' || input === null) return false;
  return typeof (input as ReadableStream).getReader === 'function' || Symbol.asyncIterator in input;
}

/**
 * Sign Language MNIST in the browser. A string is a URL; a File from an `<input type=file>` is
 * parsed as it streams (and inflated as it streams when gzipped), without reading it whole.
 */
export async function loadSignMnist(
  input: SignMnistInput,
  options: SignMnistOptions & { fetch?: typeof fetch } = {},
): Promise<SignMnistData> {
  if (typeof input === 'string' || input instanceof URL) {
    const url = String(input);
    const bytes = maybeGunzip(await fetchBytes(url, options.fetch), url);
    return parseSignMnist(bytes, { name: url, ...options });
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    const name = (input as Blob & { name?: string }).name || 'uploaded Sign-MNIST CSV';
    return parseSignMnistStream(inflateIfGzip(input.stream(), name), { name, ...options });
  }
  if (isByteStream(input)) {
    const name = options.name ?? 'Sign-MNIST stream';
    return parseSignMnistStream(inflateIfGzip(input, name), { name, ...options });
  }
  const name = options.name ?? 'Sign-MNIST CSV';
  return parseSignMnist(maybeGunzip(asBytes(input, name), name), { name, ...options });
}
