import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VizError } from './errors.js';

describe('VizError', () => {
  it('is an Error with its name and source', () => {
    const error = new VizError('activation: bad', { source: 'activation' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('VizError');
    expect(error.source).toBe('activation');
  });

  it('recognises an error from another copy of the class', () => {
    const foreign = Object.create(Object.getPrototypeOf(new VizError('x')) as object) as VizError;
    const other = { [Symbol.for('cnnlab.VizError')]: true };
    expect(foreign instanceof VizError).toBe(true);
    expect(other instanceof VizError).toBe(true);
    expect({} instanceof VizError).toBe(false);
  });
});

describe('the browser entry', () => {
  it('imports no Node built-ins and none of the Node-only packages, at any depth', () => {
    const src = dirname(fileURLToPath(import.meta.url));
    const seen = new Set<string>();
    const bad: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
        else if (/^node:|^(pngjs|vega|vega-lite|fs|path)$/.test(spec)) bad.push(`${file}: ${spec}`);
      }
    };
    visit(join(src, 'index.ts'));
    expect(seen.size).toBeGreaterThan(5);
    expect(bad).toEqual([]);
  });
});
