import { createHash } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import { makeDirs, removeMadeDirs } from '@cnnlab/core/node';
import { type DownloadLimits, type ResolvedLimits, resolveLimits } from '../download-limits.js';
import { DatasetError } from '../errors.js';
import { DownloadFailure, WriteFailure } from './download-failure.js';
import { httpGetFollowing, networkFailure } from './http-get.js';
import { partFilePath, removeStaleParts } from './part-file.js';
import { retryDelay } from './retry-policy.js';
import { TransferGuard } from './transfer-guard.js';

/** Progress of one download, reported as bytes arrive. */
export interface DownloadProgress {
  url: string;
  file: string;
  /** Bytes of the current attempt so far (back to 0 when an attempt is retried). */
  received: number;
  /** Expected size in bytes when known (published size or Content-Length). */
  total: number | undefined;
}

/** What `onRetry` is told before a failed attempt is tried again. */
export interface DownloadRetry {
  url: string;
  file: string;
  /** The attempt that failed, counted from 1. */
  attempt: number;
  /** The most attempts there will be (retries + 1). */
  attempts: number;
  /** Pause before the next attempt, in milliseconds. */
  delayMs: number;
  /** Why the attempt failed, one line: "download of … failed: HTTP 503 Service Unavailable". */
  reason: string;
}

/** Options of `download`: what the file must be, and the bounds of `DownloadLimits`. */
export interface DownloadOptions extends DownloadLimits {
  /** Expected size in bytes; a different size is an error, and more bytes stop the download. */
  size?: number;
  /** Expected MD5 (hex); a different digest is an error. */
  md5?: string;
  onProgress?: (progress: DownloadProgress) => void;
  /** Called before each retry, for a line such as "connection reset; retrying in 2 s". */
  onRetry?: (retry: DownloadRetry) => void;
}

function checkSize(size: unknown): number | undefined {
  if (size === undefined) return undefined;
  if (typeof size === 'number' && Number.isSafeInteger(size) && size >= 0) return size;
  throw new DatasetError(`size is ${JSON.stringify(size)}; expected a whole number of bytes`, {
    source: 'size',
  });
}

async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  for (let at = 0; at < chunk.length; ) {
    const { bytesWritten } = await handle.write(chunk, at, chunk.length - at);
    at += bytesWritten;
  }
}

interface Attempt {
  url: string;
  dest: string;
  tmp: string;
  size: number | undefined;
  options: DownloadOptions;
  limits: ResolvedLimits;
  guard: TransferGuard;
}

/** The body ended before its end: said as such, never as a write error. */
function cutShort(received: number, total: number | undefined, cause?: unknown): DownloadFailure {
  const of = total === undefined ? ' bytes, before the end of the body' : ` of ${total} bytes`;
  return new DownloadFailure(
    `is truncated: the server closed the connection after ${received}${of}`,
    { transient: true, cause },
  );
}

/** One GET into the temporary file, checked, then renamed into place. */
async function attempt(job: Attempt): Promise<void> {
  const { url, dest, tmp, size, options, limits, guard } = job;
  const response: IncomingMessage = await httpGetFollowing(url, guard);
  // The guard may destroy the response before it is read: the reader reports the reason.
  response.on('error', () => undefined);
  guard.watch(response, 'body');
  const encoded = (response.headers['content-encoding'] ?? 'identity') !== 'identity';
  const header = response.headers['content-length'];
  const length = header === undefined || encoded ? Number.NaN : Number(header);
  const announced = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
  const cap = size ?? limits.maxBytes;
  if (size !== undefined && announced !== undefined && announced !== size) {
    response.destroy();
    throw new DownloadFailure(`has ${announced} bytes; the published file has ${size}`);
  }
  if (announced !== undefined && announced > cap) {
    response.destroy();
    throw new DownloadFailure(
      `announces ${announced} bytes, more than the limit of ${cap} (maxBytes); expected a smaller file`,
    );
  }
  const total = size ?? announced;
  const hash = createHash('md5');
  let received = 0;
  let handle: FileHandle;
  try {
    handle = await open(tmp, 'w');
  } catch (cause) {
    response.destroy();
    throw guard.failure ?? new WriteFailure(dest, cause);
  }
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      received += chunk.length;
      guard.progress(received, total);
      if (received > cap) {
        throw new DownloadFailure(
          size === undefined
            ? `stopped: more than ${cap} bytes arrived (maxBytes) and the size is not known; expected at most that much`
            : `stopped: more than the published ${size} bytes arrived; expected exactly ${size}`,
        );
      }
      hash.update(chunk);
      options.onProgress?.({ url, file: dest, received, total });
      await writeAll(handle, chunk).catch((cause: unknown) => {
        throw new WriteFailure(dest, cause);
      });
    }
  } catch (error) {
    response.destroy();
    if (guard.failure) throw guard.failure;
    if (error instanceof DownloadFailure || error instanceof WriteFailure) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    // Node says "aborted" (ECONNRESET) when a body ends before its Content-Length or last chunk.
    if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
      throw cutShort(received, total, error);
    }
    throw networkFailure(error);
  } finally {
    await handle.close().catch(() => undefined);
  }
  guard.release();
  guard.check();
  if (announced !== undefined && received < announced) throw cutShort(received, announced);
  if (size !== undefined && received !== size) {
    throw new DownloadFailure(`has ${received} bytes; the published file has ${size}`);
  }
  const digest = hash.digest('hex');
  if (options.md5 !== undefined && digest !== options.md5.toLowerCase()) {
    throw new DownloadFailure(
      `has MD5 ${digest}; expected ${options.md5} (corrupt or a different file)`,
    );
  }
  await rename(tmp, dest).catch((cause: unknown) => {
    throw new WriteFailure(dest, cause);
  });
}

function reported(error: unknown, url: string, attempts: number): DatasetError {
  if (error instanceof DatasetError) return error;
  const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
  if (error instanceof DownloadFailure) {
    return new DatasetError(
      `download of ${url} ${error.message}${error.tellAttempts ? tries : ''}`,
      {
        source: url,
        cause: error.cause,
      },
    );
  }
  if (error instanceof WriteFailure) {
    return new DatasetError(`download of ${url} failed: ${error.message}`, {
      source: url,
      cause: error.cause,
    });
  }
  return new DatasetError(`download of ${url} failed: ${(error as Error).message}${tries}`, {
    source: url,
    cause: error,
  });
}

/**
 * Downloads `url` to `dest`, all or nothing: the bytes go to a temporary `.part` file beside
 * `dest`, are checked against the expected size and MD5, and only then renamed into place.
 *
 * Every way it can go wrong ends the same: a DatasetError of one line naming the URL and what was
 * expected, with the `.part` file and any folder this call created removed. It stops when no byte
 * arrives for `stallTimeoutMs` (a server that accepts and never answers, or stalls mid-body), past
 * `deadlineMs`, as soon as more bytes arrive than the expected `size` (or `maxBytes` when the size
 * is not known), and when `signal` is aborted. Transient failures are retried `retries` times with
 * exponential backoff. `.part` files of killed processes are removed on the next download.
 *
 * It uses node:http(s) rather than fetch, which inflates a response sent with
 * `Content-Encoding: gzip`: for a `.gz` file served that way (nginx's gzip_static, cloud storage
 * metadata) that would hand over other bytes than the published file's.
 */
export async function download(
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<void> {
  const limits = resolveLimits(options);
  const size = checkSize(options.size);
  const deadlineAt = Date.now() + limits.deadlineMs;
  const guard = new TransferGuard(limits);
  const tmp = partFilePath(dest);
  const folder = dirname(dest);
  let made: string | undefined;
  let attempts = 0;
  try {
    guard.check();
    made = await makeDirs(folder).catch((cause: unknown) => {
      throw new WriteFailure(dest, cause);
    });
    await removeStaleParts(dest);
    for (;;) {
      attempts++;
      try {
        await attempt({ url, dest, tmp, size, options, limits, guard });
        return;
      } catch (error) {
        await rm(tmp, { force: true }).catch(() => undefined);
        if (!(error instanceof DownloadFailure) || !error.transient) throw error;
        if (attempts > limits.retries) throw error;
        const delay = retryDelay(attempts, limits.retryDelayMs, error.retryAfterMs);
        // No point waiting for an attempt the deadline would cut off.
        if (Date.now() + delay >= deadlineAt) throw error;
        options.onRetry?.({
          url,
          file: dest,
          attempt: attempts,
          attempts: limits.retries + 1,
          delayMs: delay,
          reason: reported(error, url, 1).message,
        });
        await guard.sleep(delay);
      }
    }
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    await removeMadeDirs(folder, made);
    throw reported(guard.ended ?? error, url, attempts);
  } finally {
    guard.dispose();
  }
}
