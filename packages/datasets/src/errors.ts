// A registry symbol, so every copy of this package (index.cjs, node.cjs and tfjs.cjs each inline
// their own class) marks its errors the same way.
const BRAND = Symbol.for('cnnlab.DatasetError');

/**
 * The one error type of @cnnlab/datasets. Its message always names the file or argument at fault
 * and what was expected, so a user can fix the input without reading a stack trace.
 *
 * `error instanceof DatasetError` also holds for an error thrown by another copy of the class (a
 * second bundle of this package); a subclass keeps the plain prototype check.
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

/** `value instanceof cls`, where cls is DatasetError or a subclass (inherited statics). */
function isInstance(this: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
  // Only the base class is answered by brand: asking for a subclass means that very subclass.
  return (
    this === DatasetError &&
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true
  );
}

// Outside the class body: a static block naming the class makes esbuild rename it (_DatasetError).
// On the prototype and not enumerable, the brand stays out of logs and JSON.
Object.defineProperty(DatasetError.prototype, BRAND, { value: true });
// defineProperty, because the Symbol.hasInstance inherited from Function is read-only.
Object.defineProperty(DatasetError, Symbol.hasInstance, { value: isInstance });
