import { describe, expect, it } from 'vitest';
import { CoreError } from './errors.js';

describe('CoreError', () => {
  it('carries its name, source and cause', () => {
    const cause = new Error('inner');
    const error = new CoreError('numClasses must be a positive integer', {
      source: 'numClasses',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CoreError');
    expect(error.source).toBe('numClasses');
    expect(error.cause).toBe(cause);
    expect(new CoreError('x').source).toBeUndefined();
  });

  it('recognises an error of another copy of the class by its brand', () => {
    // What a second bundle of this package (index.cjs beside node.cjs) would throw.
    const brand = Symbol.for('cnnlab.CoreError');
    class Copy extends Error {}
    Object.defineProperty(Copy.prototype, brand, { value: true });
    expect(new Copy('x') instanceof CoreError).toBe(true);
    expect(new Error('x') instanceof CoreError).toBe(false);
    // A subclass means that very subclass.
    class Sub extends CoreError {}
    expect(new CoreError('x') instanceof Sub).toBe(false);
    expect(new Sub('x') instanceof CoreError).toBe(true);
  });
});
