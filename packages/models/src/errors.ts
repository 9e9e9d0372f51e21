// A registry symbol, so that every copy of this class (index.cjs and node.cjs each inline one)
// marks its errors the same way and `instanceof` holds across them.
const BRAND = Symbol.for('cnnlab.ModelError');

/**
 * The one error type of @cnnlab/models. Its message names the layer, file, URL or argument at
 * fault and what was expected, so that a user can fix the input without reading a stack trace.
 *
 * `error instanceof ModelError` also holds for an error thrown by another bundle of this package;
 * a subclass keeps the plain prototype check.
 */
export class ModelError extends Error {
  /** The layer, file, URL or argument the error is about, when there is one. */
  readonly source: string | undefined;

  constructor(message: string, options: { source?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ModelError';
    this.source = options.source;
  }
}

function isInstance(this: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
  // Only the base class answers by brand: asking for a subclass means that very subclass.
  return (
    this === ModelError &&
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true
  );
}

// Outside the class body: a static block naming the class makes esbuild rename it.
Object.defineProperty(ModelError.prototype, BRAND, { value: true });
// defineProperty, because the Symbol.hasInstance inherited from Function is read-only.
Object.defineProperty(ModelError, Symbol.hasInstance, { value: isInstance });

/** The message of any thrown value, first line only, for wrapping tfjs's errors. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].trim();
}
