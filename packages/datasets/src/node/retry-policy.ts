// The HTTP answers that say "try again later", as curl's --retry takes them.
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);

// Network errors that a later attempt may not meet: the connection refused, reset or cut, the
// network or host briefly unreachable, a name server that did not answer in time.
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EAI_AGAIN',
]);

/** Whether an HTTP status is worth another attempt. */
export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUS.has(status);
}

/** Whether a network error (a Node error code) is worth another attempt. */
export function isTransientCode(code: string | undefined): boolean {
  return code !== undefined && TRANSIENT_CODES.has(code);
}

/** The longest pause between two attempts, whatever the base delay or Retry-After say. */
export const MAX_RETRY_DELAY_MS = 60_000;

/**
 * Pause before attempt `attempt + 1` (attempt counts from 1): `baseMs` doubled for each retry
 * already made, at least what the server asked for, at most a minute.
 */
export function retryDelay(attempt: number, baseMs: number, retryAfterMs = 0): number {
  const backoff = baseMs * 2 ** (attempt - 1);
  return Math.min(MAX_RETRY_DELAY_MS, Math.max(backoff, retryAfterMs));
}

/** Retry-After in milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
