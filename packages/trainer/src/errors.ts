/** What @cnnlab/trainer throws: the message names the argument and what was expected. */
export class TrainError extends Error {
  /** The argument or option at fault, e.g. `data.labels` or `batchSize`. */
  readonly argument: string;

  constructor(message: string, argument: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TrainError';
    this.argument = argument;
  }
}
