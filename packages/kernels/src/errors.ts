/**
 * The one error type of @cnnlab/kernels. Its message names the argument at fault and what was
 * expected.
 */
export class KernelError extends Error {
  /** The argument the error is about (`image`, `kernel`, `mode`, …). */
  readonly argument: string | undefined;

  constructor(message: string, argument?: string) {
    super(message);
    this.name = 'KernelError';
    this.argument = argument;
  }
}
