// A registry symbol, so every copy of this package (index.cjs and node.cjs each inline their own
// class) marks its errors the same way.
const BRAND = Symbol.for('cnnlab.CoreError');

/**
 * The one error type of @cnnlab/core. Its message names the argument at fault and what was
 * expected. Packages built on core may translate it into their own error type (@cnnlab/datasets'
 * `toCategorical` throws a DatasetError with the same message).
 *
 * `error instanceof CoreError` also holds for an error thrown by another copy of the class (a
 * second bundle of this package); a subclass keeps the plain prototype check.
 */
export class CoreError extends Error {
  /** The argument the error is about, when there is one. */
  readonly source: string | undefined;

  constructor(message: string, options: { source?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CoreError';
    this.source = options.source;
  }
}

/** `value instanceof cls`, where cls is CoreError or a subclass (inherited statics). */
function isInstance(this: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
  // Only the base class is answered by brand: asking for a subclass means that very subclass.
  return (
    this === CoreError &&
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true
  );
}

// Outside the class body: a static block naming the class makes esbuild rename it (_CoreError).
// On the prototype and not enumerable, the brand stays out of logs and JSON.
Object.defineProperty(CoreError.prototype, BRAND, { value: true });
// defineProperty, because the Symbol.hasInstance inherited from Function is read-only.
Object.defineProperty(CoreError, Symbol.hasInstance, { value: isInstance });
