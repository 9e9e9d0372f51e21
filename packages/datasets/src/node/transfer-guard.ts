import { abortReason, formatDuration, type ResolvedLimits } from '../download-limits.js';
import { DownloadFailure } from './download-failure.js';

/** Something in flight that can be torn down with a reason: a request or a response. */
interface Destroyable {
  destroy(error?: Error): unknown;
}

// setTimeout takes at most 2^31 - 1 ms (24.8 days); a longer limit is no limit.
const LONGEST_TIMER = 2 ** 31 - 1;

function timer(ms: number, run: () => void): NodeJS.Timeout | undefined {
  return ms <= LONGEST_TIMER ? setTimeout(run, ms) : undefined;
}

/**
 * Watches one download from start to end: the caller's AbortSignal and the overall deadline end it
 * for good, the stall timer ends only the attempt in flight (with a transient failure, so it may
 * be retried). Either way the stream in flight is destroyed with the DownloadFailure that says
 * why, so whoever awaits it gets that failure and no other error.
 */
export class TransferGuard {
  private readonly limits: ResolvedLimits;
  private current: Destroyable | undefined;
  private fatal: DownloadFailure | undefined;
  private stall: NodeJS.Timeout | undefined;
  private readonly deadline: NodeJS.Timeout | undefined;
  private readonly onAbort: () => void;
  private wake: ((failure: DownloadFailure) => void) | undefined;
  private inflicted: DownloadFailure | undefined;
  private body = false;
  private received = 0;
  private total: number | undefined;

  constructor(limits: ResolvedLimits) {
    this.limits = limits;
    this.onAbort = () => {
      const signal = limits.signal as AbortSignal;
      const reason = abortReason(signal);
      this.end(
        new DownloadFailure(reason === 'aborted' ? 'was aborted' : `was aborted (${reason})`, {
          cause: signal.reason,
          tellAttempts: false,
        }),
      );
    };
    limits.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (limits.signal?.aborted) this.onAbort();
    this.deadline = timer(limits.deadlineMs, () => {
      const so = this.total === undefined ? '' : ` of ${this.total}`;
      this.end(
        new DownloadFailure(
          `did not finish within ${formatDuration(limits.deadlineMs)} (deadlineMs); ${this.received}${so} bytes had arrived`,
        ),
      );
    });
  }

  /** The failure that ended the whole download (aborted, past the deadline), if one did. */
  get ended(): DownloadFailure | undefined {
    return this.fatal;
  }

  /**
   * The failure the guard tore the current attempt down with (a stall, an abort, the deadline):
   * the reason to report, whatever error the torn stream then gave.
   */
  get failure(): DownloadFailure | undefined {
    return this.fatal ?? this.inflicted;
  }

  /** Throws the failure that ended the download, if one did. */
  check(): void {
    if (this.fatal) throw this.fatal;
  }

  /** Watches a new request (or the response to it): the stall timer starts now. */
  watch(stream: Destroyable, phase: 'answer' | 'body'): void {
    this.check();
    this.current = stream;
    this.body = phase === 'body';
    if (phase === 'answer') {
      this.received = 0;
      this.inflicted = undefined;
    }
    this.restartStall();
  }

  /** Bytes arrived: the stall timer starts again. */
  progress(received: number, total: number | undefined): void {
    this.received = received;
    this.total = total;
    this.stall?.refresh();
  }

  /** The attempt is over: nothing is watched until the next `watch`. */
  release(): void {
    this.current = undefined;
    if (this.stall) clearTimeout(this.stall);
    this.stall = undefined;
  }

  /** Waits between two attempts; rejects at once when the download is aborted or out of time. */
  sleep(ms: number): Promise<void> {
    this.check();
    return new Promise((resolve, reject) => {
      const wait = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = (failure) => {
        clearTimeout(wait);
        this.wake = undefined;
        reject(failure);
      };
    });
  }

  /** Stops every timer and listener. */
  dispose(): void {
    this.release();
    if (this.deadline) clearTimeout(this.deadline);
    this.limits.signal?.removeEventListener('abort', this.onAbort);
  }

  private restartStall(): void {
    if (this.stall) clearTimeout(this.stall);
    const ms = this.limits.stallTimeoutMs;
    this.stall = timer(ms, () => {
      const waited = formatDuration(ms);
      const failure = new DownloadFailure(
        this.body
          ? `stalled: no data for ${waited} after ${this.received}${this.total === undefined ? '' : ` of ${this.total}`} bytes (stallTimeoutMs)`
          : `stalled: the server did not answer within ${waited} (stallTimeoutMs)`,
        { transient: true },
      );
      this.inflicted = failure;
      this.current?.destroy(failure);
    });
  }

  private end(failure: DownloadFailure): void {
    if (this.fatal) return;
    this.fatal = failure;
    this.current?.destroy(failure);
    this.wake?.(failure);
  }
}
