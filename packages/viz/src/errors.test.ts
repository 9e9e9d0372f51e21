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

interface Import {
  file: string;
  spec: string;
  /** `import('…')`, evaluated when the code runs, not when the module loads. */
  lazy: boolean;
}

/** The package imports of `entry` and of every module it imports, at any depth (types skipped). */
function packageImports(entry: string): { modules: number; imports: Import[] } {
  const src = dirname(fileURLToPath(import.meta.url));
  const seen = new Set<string>();
  const imports: Import[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    // Type-only imports (and `typeof import('…')` types) are erased from the JavaScript.
    const text = readFileSync(file, 'utf8')
      .replace(/^import type [^;]+;$/gm, '')
      .replace(/typeof import\('[^']+'\)/g, '');
    for (const [, call, spec] of text.matchAll(/(?:from|import)\s*(\(?)\s*'([^']+)'/g)) {
      if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      else imports.push({ file: file.slice(src.length + 1), spec, lazy: call === '(' });
    }
  };
  visit(join(src, entry));
  return { modules: seen.size, imports };
}

const specs = (imports: Import[]) => imports.map((i) => `${i.file}: ${i.spec}`);

describe('the browser entries', () => {
  it('the root imports no Node built-ins and none of the Node-only packages, at any depth', () => {
    const { modules, imports } = packageImports('index.ts');
    expect(modules).toBeGreaterThan(5);
    expect(
      specs(imports.filter((i) => /^node:|^(pngjs|vega|vega-lite|fs|path)$/.test(i.spec))),
    ).toEqual([]);
  });

  it('charts/browser imports no Node built-ins, and vega and vega-lite only when a chart is drawn', () => {
    const { modules, imports } = packageImports('charts-browser.ts');
    expect(modules).toBeGreaterThan(2);
    expect(specs(imports.filter((i) => /^node:|^(pngjs|fs|path)$/.test(i.spec)))).toEqual([]);
    const peers = imports.filter((i) => /^(vega|vega-lite)$/.test(i.spec));
    expect(specs(peers.filter((i) => !i.lazy))).toEqual([]);
    expect(peers.map((i) => i.spec).sort()).toEqual(['vega', 'vega-lite']);
  });
});
