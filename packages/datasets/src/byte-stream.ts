import { asBytes } from './bytes.js';
import { GzipDecoder, isGzip } from './gzip.js';

/** A stream of bytes: a web ReadableStream (a File's `stream()`, a fetch body) or an async iterable. */
export type ByteStream = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * The chunks of a byte stream, each checked to be bytes. Safari's ReadableStream is not async
 * iterable, so those are read with a reader; stopping early cancels the stream.
 */
export async function* chunksOf(input: ByteStream, name: string): AsyncGenerator<Uint8Array> {
  if (Symbol.asyncIterator in input) {
    for await (const chunk of input as AsyncIterable<unknown>) yield asBytes(chunk, name);
    return;
  }
  const reader = (input as ReadableStream<Uint8Array>).getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield asBytes(next.value, name);
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/**
 * The bytes of a stream, inflated as they arrive when the first two bytes are the gzip magic
 * number, whatever the file is called.
 */
export async function* inflateIfGzip(input: ByteStream, name: string): AsyncGenerator<Uint8Array> {
  const chunks = chunksOf(input, name);
  try {
    // The first chunk may hold a single byte: read until two are known.
    const head: Uint8Array[] = [];
    let seen = 0;
    while (seen < 2) {
      const next = await chunks.next();
      if (next.done) break;
      head.push(next.value);
      seen += next.value.length;
    }
    const start = new Uint8Array(2);
    let at = 0;
    for (const chunk of head)
      for (let i = 0; i < chunk.length && at < 2; i++) start[at++] = chunk[i];
    if (!isGzip(start.subarray(0, at))) {
      yield* head;
      yield* chunks;
      return;
    }
    // inflate, not push: a step at a time, so a consumer that stops (a size limit) stops it.
    const decoder = new GzipDecoder(name);
    for (const chunk of head) yield* decoder.inflate(chunk);
    for await (const chunk of chunks) yield* decoder.inflate(chunk);
    yield* decoder.finish();
  } finally {
    await chunks.return(undefined);
  }
}
