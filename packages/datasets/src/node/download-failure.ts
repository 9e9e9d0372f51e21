/**
 * Why one attempt at a download failed, worded to follow "download of <url> " in the DatasetError
 * that reports it. `transient` failures are worth another attempt; the others are final.
 */
export class DownloadFailure extends Error {
  readonly transient: boolean;
  /** How long the server asked to wait before trying again (Retry-After), in milliseconds. */
  readonly retryAfterMs: number | undefined;
  /** Whether the report says how many attempts were made (not for an abort: it was asked for). */
  readonly tellAttempts: boolean;

  constructor(
    message: string,
    options: {
      transient?: boolean;
      retryAfterMs?: number;
      tellAttempts?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DownloadFailure';
    this.transient = options.transient ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.tellAttempts = options.tellAttempts ?? true;
  }
}

/** Writing the file failed (a full disk, a read-only folder): never retried. */
export class WriteFailure extends Error {
  constructor(path: string, cause: unknown) {
    super(`cannot write ${path}: ${(cause as Error).message}`, { cause });
    this.name = 'WriteFailure';
  }
}
