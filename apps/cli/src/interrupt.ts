import { CliError } from './errors.js';

/** The signals the CLI handles, and the exit code of each (128 + its number, as shells report). */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;
const SIGNALS = Object.keys(SIGNAL_EXIT_CODES) as StopSignal[];

/** A command stopped by SIGINT or SIGTERM: one line, and exit 130 or 143. */
export class InterruptedError extends CliError {
  readonly signal: StopSignal;
  constructor(signal: StopSignal, detail?: string) {
    super(`interrupted by ${signal}${detail ? `: ${detail}` : ''}`, {
      exitCode: SIGNAL_EXIT_CODES[signal],
    });
    this.name = 'InterruptedError';
    this.signal = signal;
  }
}

/**
 * What a command knows of Ctrl-C (SIGINT) and SIGTERM. By default the first one ends the process
 * at once, after the cleanups registered with `atForcedExit` (the output folders a run created).
 * A command that can stop at a safe point (train after the current batch, fetch by aborting the
 * download) calls `stopGracefully`: then the first signal only aborts `signal`, and the command
 * winds down and throws an InterruptedError; a second signal ends the process at once.
 */
export interface Interrupt {
  /** Aborted, with an InterruptedError as its reason, when the first signal arrives. */
  readonly signal: AbortSignal;
  /** The first signal that arrived, if one did. */
  readonly caught: StopSignal | undefined;
  stopGracefully(): void;
  /** Throws an InterruptedError if a signal arrived: call it at each safe point. */
  check(detail?: string): void;
}

type Cleanup = () => void;

let cleanups: Set<Cleanup> | undefined;

/**
 * Registers what to undo, synchronously, if a signal ends the process at once (a folder to
 * remove); returns the function that unregisters it. Outside `watchSignals` it does nothing.
 */
export function atForcedExit(cleanup: Cleanup): () => void {
  const registry = cleanups;
  registry?.add(cleanup);
  return () => registry?.delete(cleanup);
}

/** Handles SIGINT and SIGTERM until `dispose` (main calls it around each command). */
export function watchSignals(
  exit: (code: number) => void = (code) => process.exit(code),
): Interrupt & { dispose(): void } {
  const controller = new AbortController();
  const registry = new Set<Cleanup>();
  cleanups = registry;
  let caught: StopSignal | undefined;
  let graceful = false;
  const listeners = SIGNALS.map((signal) => {
    const listener = () => {
      if (caught === undefined && graceful) {
        caught = signal;
        controller.abort(new InterruptedError(signal));
        return;
      }
      for (const cleanup of registry) {
        try {
          cleanup();
        } catch {
          // Exiting anyway: the next cleanup still runs.
        }
      }
      const how =
        caught === undefined
          ? signal
          : caught === signal
            ? `${signal} twice: stopped at once`
            : `${caught}, then ${signal}: stopped at once`;
      process.stderr.write(`cnnlab: interrupted by ${how}\n`);
      // The code of the signal that ended the process, as a shell reports the one that kills.
      exit(SIGNAL_EXIT_CODES[signal]);
    };
    process.on(signal, listener);
    return { signal, listener };
  });
  return {
    signal: controller.signal,
    get caught() {
      return caught;
    },
    stopGracefully() {
      graceful = true;
    },
    check(detail) {
      if (caught) throw new InterruptedError(caught, detail);
    },
    dispose() {
      for (const { signal, listener } of listeners) process.removeListener(signal, listener);
      if (cleanups === registry) cleanups = undefined;
    },
  };
}
