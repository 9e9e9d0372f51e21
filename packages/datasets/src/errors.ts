/**
 * The one error type of @cnnlab/datasets. Its message always names the file or argument at fault
 * and what was expected, so a user can fix the input without reading a stack trace.
 */
export class DatasetError extends Error {
  /** The file, URL or argument the error is about, when there is one. */
  readonly source: string | undefined;

  constructor(message: string, options: { source?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DatasetError';
    this.source = options.source;
  }
}
