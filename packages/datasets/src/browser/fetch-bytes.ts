import { abortReason, DOWNLOAD_DEFAULTS, formatDuration } from '../download-limits.js';
import { DatasetError } from '../errors.js';
import { concatBytes } from '../gzip.js';

/** Options of `fetchBytes`: the transport and the bounds of the download. */
export interface FetchBytesOptions {
  /** A fetch implementation, for tests or special transports. */
  fetch?: typeof fetch;
  /** Stops the download; it rejects with a DatasetError. */
  signal?: AbortSignal;
  /** The most bytes accepted; more stop the download at once. Default 1 GiB. */
  maxBytes?: number;
  /** Give up when no byte arrives for this long, in milliseconds. Default 30 s. */
  stallTimeoutMs?: number;
}

/** The reason a fetch was stopped from here, told apart from the caller's own abort. */
class Stop extends Error {}

/**
 * Fetches a URL into bytes, turning HTTP and network failures into a DatasetError naming the URL.
 * The body is read chunk by chunk and refused as soon as it passes `maxBytes` (an endless stream
 * costs no more than that); a stall of `stallTimeoutMs` and the caller's `signal` abort it.
 */
export async function fetchBytes(
  url: string,
  options: FetchBytesOptions = {},
): Promise<Uint8Array> {
  const fetchImpl = options.fetch ?? fetch;
  const maxBytes = options.maxBytes ?? DOWNLOAD_DEFAULTS.maxBytes;
  const stallMs = options.stallTimeoutMs ?? DOWNLOAD_DEFAULTS.stallTimeoutMs;
  const fail = (why: string, cause?: unknown) =>
    new DatasetError(`download of ${url} ${why}`, { source: url, cause });
  const controller = new AbortController();
  const stop = (reason: Error) => controller.abort(reason);
  const onAbort = () => {
    const reason = abortReason(options.signal as AbortSignal);
    stop(new Stop(reason === 'aborted' ? 'was aborted' : `was aborted (${reason})`));
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  let received = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const restart = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      stop(
        new Stop(
          `stalled: no data for ${formatDuration(stallMs)} after ${received} bytes (stallTimeoutMs)`,
        ),
      );
    }, stallMs);
  };
  const stopped = () => {
    const reason: unknown = controller.signal.reason;
    return reason instanceof Stop ? fail(reason.message) : undefined;
  };
  try {
    restart();
    // A fetch that does not honour the signal is raced against it.
    const aborted = new Promise<never>((_resolve, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), {
        once: true,
      });
    });
    aborted.catch(() => undefined);
    let response: Response;
    try {
      response = await Promise.race([fetchImpl(url, { signal: controller.signal }), aborted]);
    } catch (cause) {
      throw stopped() ?? fail(`failed: ${(cause as Error).message}`, cause);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw fail(`failed: HTTP ${response.status} ${response.statusText}`.trimEnd());
    }
    const announced = Number(response.headers.get('content-length') ?? Number.NaN);
    if (announced > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw fail(`announces ${announced} bytes, more than the limit of ${maxBytes} (maxBytes)`);
    }
    if (!response.body) return new Uint8Array(await response.arrayBuffer());
    const reader = response.body.getReader();
    // Ends a pending read when the download is stopped, whatever the fetch does with its signal.
    controller.signal.addEventListener('abort', () => reader.cancel().catch(() => undefined), {
      once: true,
    });
    const chunks: Uint8Array[] = [];
    try {
      for (;;) {
        const next = await reader.read();
        const stop = stopped();
        if (stop) throw stop;
        if (next.done) break;
        restart();
        received += next.value.length;
        if (received > maxBytes) {
          throw fail(
            `stopped: more than ${maxBytes} bytes arrived (maxBytes); expected at most that much`,
          );
        }
        chunks.push(next.value);
      }
    } catch (cause) {
      await reader.cancel().catch(() => undefined);
      if (cause instanceof DatasetError) throw cause;
      throw stopped() ?? fail(`failed: ${(cause as Error).message}`, cause);
    }
    return concatBytes(chunks);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
