/**
 * The one error type of @cnnlab/augment. Its message names the option or argument at fault and
 * what was expected.
 */
export class AugmentError extends Error {
  /** The option or argument the error is about. */
  readonly argument: string | undefined;

  constructor(message: string, argument?: string) {
    super(message);
    this.name = 'AugmentError';
    this.argument = argument;
  }
}
