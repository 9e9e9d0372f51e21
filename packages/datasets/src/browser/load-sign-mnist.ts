import type { SignMnistData, SignMnistOptions } from '../sign-mnist.js';
import { parseSignMnist, parseSignMnistStream } from '../sign-mnist-csv.js';
import { fetchBytes } from './fetch-bytes.js';

/** What the browser loader reads: a URL, an uploaded File or Blob, a stream, or bytes in memory. */
export type SignMnistInput = string | URL | Blob | ReadableStream<Uint8Array> | Uint8Array;

/**
 * Sign Language MNIST in the browser. A string is a URL; a File from an `<input type=file>` is
 * parsed as it streams, without reading it whole into a string.
 */
export async function loadSignMnist(
  input: SignMnistInput,
  options: SignMnistOptions & { fetch?: typeof fetch } = {},
): Promise<SignMnistData> {
  if (input instanceof Uint8Array) return parseSignMnist(input, options);
  if (typeof input === 'string' || input instanceof URL) {
    const url = String(input);
    return parseSignMnist(await fetchBytes(url, options.fetch), { name: url, ...options });
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    const name = (input as Blob & { name?: string }).name ?? 'uploaded Sign-MNIST CSV';
    return parseSignMnistStream(input.stream(), { name, ...options });
  }
  return parseSignMnistStream(input as ReadableStream<Uint8Array>, options);
}
