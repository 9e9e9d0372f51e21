import { type ByteStream, inflateIfGzip } from '../byte-stream.js';
import { asBytes } from '../bytes.js';
import type { DownloadLimits } from '../download-limits.js';
import { GzipDecoder, isGzip } from '../gzip.js';
import { SIGN_MNIST_MAX_BYTES, type SignMnistData, type SignMnistOptions } from '../sign-mnist.js';
import { parseSignMnistStream, SignMnistCsvParser } from '../sign-mnist-csv.js';
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

/** Options of the browser's `loadSignMnist`: the parser's, and how a URL is fetched. */
export type LoadSignMnistOptions = SignMnistOptions &
  Pick<DownloadLimits, 'signal' | 'stallTimeoutMs'> & {
    /** A fetch implementation, for tests or special transports. */
    fetch?: typeof fetch;
  };

/**
 * Parses CSV bytes in memory, inflating gzip a step at a time as the parser takes it: the
 * parser's maxBytes stops a small file that inflates to gigabytes after one step past the limit.
 */
function parseBytes(bytes: Uint8Array, options: SignMnistOptions): SignMnistData {
  const parser = new SignMnistCsvParser(options);
  if (!isGzip(bytes)) {
    parser.push(bytes);
    return parser.finish();
  }
  const decoder = new GzipDecoder(parser.name);
  for (const chunk of decoder.inflate(bytes)) parser.push(chunk);
  for (const chunk of decoder.finish()) parser.push(chunk);
  return parser.finish();
}

/**
 * Sign Language MNIST in the browser. A string is a URL; a File from an `<input type=file>` is
 * parsed as it streams (and inflated as it streams when gzipped), without reading it whole. Every
 * input is bounded by `maxBytes` of CSV text (default 256 MiB), counted after inflating.
 */
export async function loadSignMnist(
  input: SignMnistInput,
  options: LoadSignMnistOptions = {},
): Promise<SignMnistData> {
  const { fetch: fetchImpl, signal, stallTimeoutMs, ...parse } = options;
  if (typeof input === 'string' || input instanceof URL) {
    const url = String(input);
    const bytes = await fetchBytes(url, {
      fetch: fetchImpl,
      signal,
      stallTimeoutMs,
      // The file as sent is no longer than the text it holds (gzip only makes it shorter).
      maxBytes: parse.maxBytes ?? SIGN_MNIST_MAX_BYTES,
    });
    return parseBytes(bytes, { name: url, ...parse });
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    const name = (input as Blob & { name?: string }).name || 'uploaded Sign-MNIST CSV';
    return parseSignMnistStream(inflateIfGzip(input.stream(), name), { name, ...parse });
  }
  if (isByteStream(input)) {
    const name = parse.name ?? 'Sign-MNIST stream';
    return parseSignMnistStream(inflateIfGzip(input, name), { name, ...parse });
  }
  const name = parse.name ?? 'Sign-MNIST CSV';
  return parseBytes(asBytes(input, name), { name, ...parse });
}
