import { describe, expect, it } from 'vitest';
import { ModelError, messageOf } from './errors.js';

describe('ModelError', () => {
  it('names its source and keeps its cause', () => {
    const cause = new Error('EACCES');
    const error = new ModelError('cannot write /x/model.json: EACCES', {
      source: '/x/model.json',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ModelError');
    expect(error.source).toBe('/x/model.json');
    expect(error.cause).toBe(cause);
  });

  it("is recognised when thrown by another bundle's copy of the class", () => {
    // What node.cjs's copy of the class would throw: an unrelated class carrying the same brand.
    class Other extends Error {}
    Object.defineProperty(Other.prototype, Symbol.for('cnnlab.ModelError'), { value: true });
    expect(new Other('x')).toBeInstanceOf(ModelError);
    expect(new Error('x')).not.toBeInstanceOf(ModelError);
    class Sub extends ModelError {}
    expect(new ModelError('x')).not.toBeInstanceOf(Sub);
    expect(new Sub('x')).toBeInstanceOf(ModelError);
  });

  it('keeps only the first line of wrapped messages', () => {
    expect(messageOf(new Error('first\nsecond'))).toBe('first');
    expect(messageOf('plain')).toBe('plain');
  });
});
