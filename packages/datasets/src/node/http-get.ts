import { type ClientRequest, get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { DownloadFailure } from './download-failure.js';
import { isTransientCode, isTransientStatus, parseRetryAfter } from './retry-policy.js';
import type { TransferGuard } from './transfer-guard.js';

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A network error as a DownloadFailure, transient when a later attempt may not meet it. */
export function networkFailure(cause: unknown): DownloadFailure {
  if (cause instanceof DownloadFailure) return cause;
  const code = (cause as NodeJS.ErrnoException).code;
  return new DownloadFailure(`failed: ${(cause as Error).message}`, {
    transient: isTransientCode(code),
    cause,
  });
}

function request(url: URL, guard: TransferGuard): Promise<IncomingMessage> {
  const get = url.protocol === 'https:' ? httpsGet : url.protocol === 'http:' ? httpGet : undefined;
  if (!get) {
    return Promise.reject(
      new DownloadFailure(
        `failed: ${url.protocol} is not supported; expected an http: or https: URL`,
      ),
    );
  }
  guard.check();
  return new Promise((resolve, reject) => {
    let req: ClientRequest;
    try {
      // identity: the bytes as stored, so that sizes and MD5s are those of the published file.
      req = get(url, { headers: { 'accept-encoding': 'identity' } }, (response) => {
        // Errors after the answer (a reset mid-body) reach the response's reader instead.
        req.on('error', () => undefined);
        resolve(response);
      });
    } catch (cause) {
      reject(networkFailure(cause));
      return;
    }
    req.on('error', (cause) => reject(networkFailure(cause)));
    guard.watch(req, 'answer');
  });
}

/**
 * Drops a response that is not wanted (a redirect, an error page), closing its connection: reading
 * it to its end would let a hostile server stream it for ever.
 */
function discard(response: IncomingMessage): void {
  response.on('error', () => undefined);
  response.destroy();
}

/**
 * GETs the URL, following up to 5 redirects, each request watched by the guard (stall, deadline,
 * abort). Resolves with the response to a 2xx; any other answer is a DownloadFailure, transient
 * for 408, 429 and 5xx gateway errors, with the server's Retry-After.
 */
export async function httpGetFollowing(
  url: string,
  guard: TransferGuard,
): Promise<IncomingMessage> {
  let current: URL;
  try {
    current = new URL(url);
  } catch (cause) {
    throw new DownloadFailure('failed: not a valid URL', { cause });
  }
  for (let hops = 0; ; hops++) {
    const response = await request(current, guard);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (REDIRECTS.has(status) && location) {
      discard(response);
      if (hops === MAX_REDIRECTS) {
        throw new DownloadFailure(`failed: more than ${MAX_REDIRECTS} redirects`);
      }
      // A relative Location is relative to the URL that answered with it.
      try {
        current = new URL(location, current);
      } catch (cause) {
        throw new DownloadFailure(
          `failed: redirected to an invalid URL ${JSON.stringify(location)}`,
          {
            cause,
          },
        );
      }
      continue;
    }
    if (status < 200 || status >= 300) {
      discard(response);
      const retryAfter = response.headers['retry-after'];
      throw new DownloadFailure(
        `failed: HTTP ${status} ${response.statusMessage ?? ''}`.trimEnd(),
        {
          transient: isTransientStatus(status),
          retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
        },
      );
    }
    return response;
  }
}
