// A registry symbol, so every bundle of this package (index and node inline their own class)
// marks its errors the same way.
const BRAND = Symbol.for('cnnlab.VizError');

/**
 * The one error type of @cnnlab/viz. Its message names the argument or path at fault and what
 * was expected.
 */
export class VizError extends Error {
  /** The argument or file path the error is about, when there is one. */
  readonly source: string | undefined;

  constructor(message: string, options: { source?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VizError';
    this.source = options.source;
  }
}

function isInstance(this: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
  return (
    this === VizError &&
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true
  );
}

// Outside the class body: a static block naming the class makes esbuild rename it.
Object.defineProperty(VizError.prototype, BRAND, { value: true });
Object.defineProperty(VizError, Symbol.hasInstance, { value: isInstance });
