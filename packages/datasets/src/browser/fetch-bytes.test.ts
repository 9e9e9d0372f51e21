import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { fetchBytes } from './fetch-bytes.js';
import { loadMnist } from './load-mnist.js';
import { loadSignMnist } from './load-sign-mnist.js';

const URL_ = 'https://example.com/file.gz';

/** A fetch answering with a body stream made by `pull`, honouring the request's signal. */
function serving(
  pull: (controller: ReadableStreamDefaultController<Uint8Array>) => void | Promise<void>,
) {
  const calls: AbortSignal[] = [];
  const impl: typeof fetch = async (_input, init) => {
    const signal = init?.signal as AbortSignal;
    calls.push(signal);
    signal.throwIfAborted();
    // As a real fetch does: aborting errors the body.
    const body = new ReadableStream<Uint8Array>(
      {
        start: (c) => signal.addEventListener('abort', () => c.error(signal.reason)),
        pull,
      },
      { highWaterMark: 0 },
    );
    return new Response(body);
  };
  return { impl, calls };
}

const endless = () => serving((c) => c.enqueue(new Uint8Array(64 * 1024)));
const silent = () => serving(() => new Promise(() => undefined));

async function failure(run: Promise<unknown>): Promise<string> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetError);
  expect((error as Error).message).not.toContain('\n');
  return (error as Error).message;
}

describe('fetchBytes, the browser download', () => {
  it('stops an endless body at maxBytes', async () => {
    const { impl } = endless();
    expect(await failure(fetchBytes(URL_, { fetch: impl, maxBytes: 1 << 20 }))).toBe(
      `download of ${URL_} stopped: more than 1048576 bytes arrived (maxBytes); expected at most that much`,
    );
  });

  it('refuses a Content-Length above maxBytes before reading', async () => {
    const impl: typeof fetch = async () =>
      new Response('x', { headers: { 'content-length': String(2 ** 40) } });
    expect(await failure(fetchBytes(URL_, { fetch: impl, maxBytes: 1000 }))).toBe(
      `download of ${URL_} announces 1099511627776 bytes, more than the limit of 1000 (maxBytes)`,
    );
  });

  it('gives up on a stalled body, and on an answer that never comes', async () => {
    const { impl } = silent();
    expect(await failure(fetchBytes(URL_, { fetch: impl, stallTimeoutMs: 50 }))).toBe(
      `download of ${URL_} stalled: no data for 50 ms after 0 bytes (stallTimeoutMs)`,
    );
    const never: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        const signal = init?.signal as AbortSignal;
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    expect(await failure(fetchBytes(URL_, { fetch: never, stallTimeoutMs: 50 }))).toBe(
      `download of ${URL_} stalled: no data for 50 ms after 0 bytes (stallTimeoutMs)`,
    );
  });

  it('stops when the caller aborts', async () => {
    const { impl } = silent();
    const controller = new AbortController();
    setTimeout(() => controller.abort('user closed the page'), 20);
    expect(await failure(fetchBytes(URL_, { fetch: impl, signal: controller.signal }))).toBe(
      `download of ${URL_} was aborted (user closed the page)`,
    );
  });

  it('stops the other files of a dataset when one fails', async () => {
    const { impl, calls } = silent();
    const failing: typeof fetch = async (input, init) =>
      String(input).includes('t10k-labels') ? new Response('', { status: 404 }) : impl(input, init);
    await expect(loadMnist({ url: 'https://example.com/mnist/', fetch: failing })).rejects.toThrow(
      /t10k-labels-idx1-ubyte\.gz failed: HTTP 404/,
    );
    expect(calls).toHaveLength(3);
    expect(calls.every((signal) => signal.aborted)).toBe(true);
  });

  it('bounds a Sign-MNIST URL by maxBytes', async () => {
    const { impl } = endless();
    await expect(
      loadSignMnist('https://example.com/sign.csv', { fetch: impl, maxBytes: 1 << 20 }),
    ).rejects.toThrow('download of https://example.com/sign.csv stopped: more than 1048576 bytes');
  });
});
