/** Exit codes of the `cnnlab` command, documented in the README. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** An error the CLI reports as one line; `usage` marks bad arguments (exit 2). */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(
    message: string,
    options: { usage?: boolean; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? (options.usage ? EXIT_USAGE : EXIT_FAILURE);
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, { usage: true });
}
