import { DatasetError } from './errors.js';

/** The bounds of one download, each an option of `download` and of the loaders that download. */
export interface DownloadLimits {
  /**
   * Give up when no byte arrives for this long, in milliseconds: while connecting, while waiting
   * for the server to answer, and between two chunks of the body. A stall counts as a transient
   * failure (retried). Default 30 s.
   */
  stallTimeoutMs?: number;
  /**
   * The most one file's download may take, all its attempts and pauses between them included, in
   * milliseconds. Default 10 minutes.
   */
  deadlineMs?: number;
  /**
   * The most bytes accepted when the expected size is not known (with a published size, that size
   * is the cap). The download stops as soon as more arrive. Default 1 GiB.
   */
  maxBytes?: number;
  /**
   * Further attempts after a transient failure (a connection refused or reset, a body cut short, a
   * stall, HTTP 408, 429, 500, 502, 503 or 504); never after another 4xx, a size or MD5 mismatch,
   * or a write error. Default 3, so four attempts at most.
   */
  retries?: number;
  /**
   * Pause before the first retry, in milliseconds, doubled for each further one (1 s, 2 s, 4 s by
   * default; a server's Retry-After is honoured when longer). Default 1000.
   */
  retryDelayMs?: number;
  /** Stops the download (the CLI's Ctrl-C): it rejects with a DatasetError and leaves nothing. */
  signal?: AbortSignal;
}

/** The defaults of `DownloadLimits`. */
export const DOWNLOAD_DEFAULTS = {
  stallTimeoutMs: 30_000,
  deadlineMs: 10 * 60_000,
  maxBytes: 1024 * 1024 * 1024,
  retries: 3,
  retryDelayMs: 1000,
} as const;

/** `DownloadLimits` with every default filled in and every value checked. */
export type ResolvedLimits = { -readonly [K in keyof typeof DOWNLOAD_DEFAULTS]: number } & {
  signal: AbortSignal | undefined;
};

function check(name: keyof typeof DOWNLOAD_DEFAULTS, value: unknown, integer: boolean): number {
  const ok =
    typeof value === 'number' &&
    value >= 0 &&
    (integer ? Number.isInteger(value) : !Number.isNaN(value)) &&
    (name === 'retries' || name === 'retryDelayMs' || value > 0);
  if (!ok) {
    const what = integer ? 'a whole number ≥ 0' : 'a positive number';
    throw new DatasetError(
      `${name} is ${typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value))}; expected ${what} (default ${DOWNLOAD_DEFAULTS[name]})`,
      { source: name },
    );
  }
  return value as number;
}

/** Fills in the defaults and checks each limit, naming the option at fault. */
export function resolveLimits(limits: DownloadLimits = {}): ResolvedLimits {
  const pick = (name: keyof typeof DOWNLOAD_DEFAULTS, integer = false) =>
    check(name, limits[name] ?? DOWNLOAD_DEFAULTS[name], integer);
  const signal = limits.signal;
  if (
    signal !== undefined &&
    !(typeof signal === 'object' && signal !== null && 'aborted' in signal)
  ) {
    throw new DatasetError("signal is not an AbortSignal; expected an AbortController's signal", {
      source: 'signal',
    });
  }
  return {
    stallTimeoutMs: pick('stallTimeoutMs'),
    deadlineMs: pick('deadlineMs'),
    maxBytes: pick('maxBytes'),
    retries: pick('retries', true),
    retryDelayMs: pick('retryDelayMs'),
    signal,
  };
}

/** A duration for a message: "800 ms", "30 s", "10 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${Number((ms / 60_000).toFixed(1))} min`;
}

/** Why a signal was aborted, for a message: its reason's message, or "aborted". */
export function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  // AbortController's default reason says nothing more than "aborted".
  if (reason instanceof Error && reason.name === 'AbortError') return 'aborted';
  if (reason instanceof Error && reason.message) return reason.message;
  if (typeof reason === 'string' && reason) return reason;
  return 'aborted';
}
