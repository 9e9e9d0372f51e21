import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The browser entry and every chunk it imports must not pull Node built-ins (tsup's shims once
// put `path` and `url` there, which broke a Vite dev server).
describe('browser build', () => {
  it('dist/index.js and its chunks import no Node built-in', () => {
    const dist = new URL('../dist/', import.meta.url);
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(new URL(file, dist), 'utf8');
      expect(text, file).not.toMatch(/from ["'](node:)?(path|url|fs|module|os|child_process)["']/);
      for (const [, next] of text.matchAll(/from ["']\.\/([^"']+)["']/g)) visit(next);
    };
    expect(readdirSync(dist)).toContain('index.js');
    visit('index.js');
    expect(seen.size).toBeGreaterThan(1);
  });
});
